package gptneo

import (
	"fmt"

	"github.com/ecco-go/ecco/ecco/family/decoder"
)

const (
	embedKey    = "transformer.wte.weight"
	positionKey = "transformer.wpe.weight"
)

// Arch states GPT-Neo's block with HuggingFace's keys, "transformer.h.{i}...": learned positions,
// layer norms, q/k/v projections without bias, unscaled scores, local layers with a window, and
// the tied head.
func (c *Config) Arch() *decoder.Arch {
	a := &decoder.Arch{
		Embedding: embedKey, Positions: positionKey, Head: embedKey,
		Final: decoder.Norm{Kind: decoder.LayerNorm, Prefix: "transformer.ln_f.", Eps: c.Eps},
	}
	for i := range c.Layers {
		l := fmt.Sprintf("transformer.h.%d.", i)
		attn := l + "attn.attention."
		at := decoder.SelfAttention{
			Q: attn + "q_proj.", K: attn + "k_proj.", V: attn + "v_proj.", Out: attn + "out_proj.",
			Heads: c.Heads, KVHeads: c.Heads, HeadDim: c.Width / c.Heads,
			Scale: 1, // GPT-Neo does not scale q·k
		}
		if c.Attention[i] == "local" {
			at.Window = c.Window
		}
		a.Layers = append(a.Layers, decoder.Layer{
			AttnNorm:  decoder.Norm{Kind: decoder.LayerNorm, Prefix: l + "ln_1.", Eps: c.Eps},
			FFNNorm:   decoder.Norm{Kind: decoder.LayerNorm, Prefix: l + "ln_2.", Eps: c.Eps},
			Attention: at,
			FFN:       decoder.FeedForward{Up: l + "mlp.c_fc.", Down: l + "mlp.c_proj.", Act: c.Activation},
		})
	}
	return a
}
