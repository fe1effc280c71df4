package gpt2

import (
	"fmt"
	"math"

	"github.com/ecco-go/ecco/ecco/family/decoder"
)

// Arch states GPT-2's block with the checkpoint's keys, "[transformer.]h.{i}...": learned
// positions, layer norms, the fused c_attn projection whose output is [q | k | v], scores scaled
// by 1/√dh, and the head tied to wte unless lm_head.weight is stored.
func (k Checkpoint) Arch() *decoder.Arch {
	c, p := k.Config, k.Prefix
	a := &decoder.Arch{
		Embedding: p + "wte.weight", Positions: p + "wpe.weight", Head: p + "wte.weight",
		Final: decoder.Norm{Kind: decoder.LayerNorm, Prefix: p + "ln_f.", Eps: c.LayerNormEpsilon},
	}
	if k.Head {
		a.Head = headKey
	}
	dh := c.HeadDim()
	for i := range c.NLayer {
		l := fmt.Sprintf("%sh.%d.", p, i)
		a.Layers = append(a.Layers, decoder.Layer{
			AttnNorm: decoder.Norm{Kind: decoder.LayerNorm, Prefix: l + "ln_1.", Eps: c.LayerNormEpsilon},
			FFNNorm:  decoder.Norm{Kind: decoder.LayerNorm, Prefix: l + "ln_2.", Eps: c.LayerNormEpsilon},
			Attention: decoder.SelfAttention{
				Fused: l + "attn.c_attn.", Out: l + "attn.c_proj.",
				Heads: c.NHead, KVHeads: c.NHead, HeadDim: dh, Scale: 1 / math.Sqrt(float64(dh)),
			},
			FFN: decoder.FeedForward{Up: l + "mlp.c_fc.", Down: l + "mlp.c_proj.", Act: c.Activation},
		})
	}
	return a
}
