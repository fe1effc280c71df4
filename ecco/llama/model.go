package llama

import (
	"fmt"
	"math"

	"github.com/ecco-go/ecco/ecco/family/decoder"
)

const embedKey = "model.embed_tokens.weight"

// Arch states the LLaMA block with HuggingFace's keys, "model.layers.{i}...": RMSNorm, rotary
// queries and keys (Qwen3: after a per-head RMSNorm), grouped key/value heads, optional sliding
// windows, SwiGLU (silu(gate)·up).
func (c *Config) Arch() *decoder.Arch {
	a := &decoder.Arch{
		Embedding: embedKey,
		Final:     decoder.Norm{Kind: decoder.RMSNorm, Prefix: "model.norm.", Eps: c.Eps},
		Head:      "lm_head.weight",
	}
	if c.Tied {
		a.Head = embedKey
	}
	inv := c.InverseFrequencies()
	for i := range c.Layers {
		l := fmt.Sprintf("model.layers.%d.", i)
		at := decoder.SelfAttention{
			Q: l + "self_attn.q_proj.", K: l + "self_attn.k_proj.", V: l + "self_attn.v_proj.", Out: l + "self_attn.o_proj.",
			Heads: c.Heads, KVHeads: c.KVHeads, HeadDim: c.HeadDim,
			Scale: 1 / math.Sqrt(float64(c.HeadDim)), Window: c.Windows[i], Rotary: inv,
		}
		if c.QKNorm {
			at.QNorm = &decoder.Norm{Kind: decoder.RMSNorm, Prefix: l + "self_attn.q_norm.", Eps: c.Eps}
			at.KNorm = &decoder.Norm{Kind: decoder.RMSNorm, Prefix: l + "self_attn.k_norm.", Eps: c.Eps}
		}
		a.Layers = append(a.Layers, decoder.Layer{
			AttnNorm:  decoder.Norm{Kind: decoder.RMSNorm, Prefix: l + "input_layernorm.", Eps: c.Eps},
			FFNNorm:   decoder.Norm{Kind: decoder.RMSNorm, Prefix: l + "post_attention_layernorm.", Eps: c.Eps},
			Attention: at,
			FFN:       decoder.FeedForward{Gate: l + "mlp.gate_proj.", Up: l + "mlp.up_proj.", Down: l + "mlp.down_proj.", Act: "silu"},
		})
	}
	return a
}
