package neox

import (
	"fmt"
	"math"

	"github.com/ecco-go/ecco/ecco/family/decoder"
)

// Arch states the GPT-NeoX block with HuggingFace's keys, "gpt_neox.layers.{i}...": layer
// norms, the fused projection (reordered at load, Spec.Rows), partial rotary queries and keys,
// a parallel or sequential residual, and the embed_out head.
func (c *Config) Arch() *decoder.Arch {
	a := &decoder.Arch{
		Embedding: embedKey, Head: headKey,
		Final: decoder.Norm{Kind: decoder.LayerNorm, Prefix: "gpt_neox.final_layer_norm.", Eps: c.Eps},
	}
	if c.Tied {
		a.Head = embedKey
	}
	inv := c.InverseFrequencies()
	for i := range c.Layers {
		l := fmt.Sprintf("gpt_neox.layers.%d.", i)
		a.Layers = append(a.Layers, decoder.Layer{
			AttnNorm: decoder.Norm{Kind: decoder.LayerNorm, Prefix: l + "input_layernorm.", Eps: c.Eps},
			FFNNorm:  decoder.Norm{Kind: decoder.LayerNorm, Prefix: l + "post_attention_layernorm.", Eps: c.Eps},
			Attention: decoder.SelfAttention{
				Fused: l + "attention.query_key_value.", Out: l + "attention.dense.",
				Heads: c.Heads, KVHeads: c.Heads, HeadDim: c.HeadDim,
				Scale: 1 / math.Sqrt(float64(c.HeadDim)), Rotary: inv,
			},
			FFN:      decoder.FeedForward{Up: l + "mlp.dense_h_to_4h.", Down: l + "mlp.dense_4h_to_h.", Act: c.Activation},
			Parallel: c.Parallel,
		})
	}
	return a
}
