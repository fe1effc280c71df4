package gemma

import (
	"fmt"
	"math"
	"strings"

	"github.com/ecco-go/ecco/ecco/family/decoder"
	"github.com/gomlx/compute"
)

const embedKey = "model.embed_tokens.weight"

// Load reads config.json and the safetensors weights (one file or shards) from dir and puts
// them on backend.
func Load(backend compute.Backend, dir string) (*decoder.Model, error) {
	return decoder.LoadDir(backend, dir, "gemma", func(data []byte) (decoder.Config, error) { return ParseConfig(data) })
}

// Arch states the Gemma block with HuggingFace's keys, "model.layers.{i}..." (see the package doc).
func (c *Config) Arch() *decoder.Arch {
	norm := func(prefix string) decoder.Norm {
		return decoder.Norm{Kind: decoder.RMSNorm, Prefix: prefix, Eps: c.Eps, Offset: true}
	}
	ptr := func(n decoder.Norm) *decoder.Norm { return &n }
	a := &decoder.Arch{
		Embedding: embedKey, Head: "lm_head.weight", Final: norm("model.norm."),
		// HuggingFace keeps √D as a float32 tensor: its rounding is the model's.
		EmbedScale: float64(float32(math.Sqrt(float64(c.Width)))),
		SoftCap:    c.FinalCap,
	}
	if c.Tied {
		a.Head = embedKey
	}
	global := decoder.RotaryFrequencies(c.RopeTheta, c.HeadDim)
	for j := range global {
		global[j] /= c.RopeFactor
	}
	local := decoder.RotaryFrequencies(c.RopeLocal, c.HeadDim)
	if c.ModelType == "gemma2" { // one base for every layer
		local = global
	}
	for i := range c.Layers {
		l := fmt.Sprintf("model.layers.%d.", i)
		at := decoder.SelfAttention{
			Q: l + "self_attn.q_proj.", K: l + "self_attn.k_proj.", V: l + "self_attn.v_proj.", Out: l + "self_attn.o_proj.",
			Heads: c.Heads, KVHeads: c.KVHeads, HeadDim: c.HeadDim,
			Scale: 1 / math.Sqrt(c.Scalar), Rotary: global, SoftCap: c.AttnCap,
		}
		if c.Local[i] {
			at.Window, at.Rotary = c.Window, local
		}
		if c.ModelType == "gemma3_text" {
			at.QNorm, at.KNorm = ptr(norm(l+"self_attn.q_norm.")), ptr(norm(l+"self_attn.k_norm."))
		}
		a.Layers = append(a.Layers, decoder.Layer{
			AttnNorm:     norm(l + "input_layernorm."),
			PostAttnNorm: ptr(norm(l + "post_attention_layernorm.")),
			FFNNorm:      norm(l + "pre_feedforward_layernorm."),
			PostFFNNorm:  ptr(norm(l + "post_feedforward_layernorm.")),
			Attention:    at,
			FFN:          decoder.FeedForward{Gate: l + "mlp.gate_proj.", Up: l + "mlp.up_proj.", Down: l + "mlp.down_proj.", Act: c.Activation},
		})
	}
	return a
}

// Spec lists the tensors a checkpoint of c holds, with their shapes (nn.Linear: [out, in]).
func (c *Config) Spec() decoder.Spec {
	d, n, dh := c.Width, c.Inner, c.HeadDim
	q, kv := c.Heads*dh, c.KVHeads*dh
	want := decoder.Shapes{embedKey: {c.Vocab, d}, "model.norm.weight": {d}}
	if !c.Tied {
		want["lm_head.weight"] = []int{c.Vocab, d}
	}
	for i := range c.Layers {
		l := fmt.Sprintf("model.layers.%d.", i)
		linear := func(name string, out, in int, bias bool) { want.Linear(l+name, out, in, bias) }
		linear("self_attn.q_proj", q, d, c.Bias)
		linear("self_attn.k_proj", kv, d, c.Bias)
		linear("self_attn.v_proj", kv, d, c.Bias)
		linear("self_attn.o_proj", d, q, c.Bias)
		linear("mlp.gate_proj", n, d, false)
		linear("mlp.up_proj", n, d, false)
		linear("mlp.down_proj", d, n, false)
		for _, norm := range []string{"input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm", "post_feedforward_layernorm"} {
			want[l+norm+".weight"] = []int{d}
		}
		if c.ModelType == "gemma3_text" {
			want[l+"self_attn.q_norm.weight"] = []int{dh}
			want[l+"self_attn.k_norm.weight"] = []int{dh}
		}
	}
	return decoder.Spec{
		Family: c.ModelType, Want: want,
		// The copy of a tied head some checkpoints store.
		Ignore:   func(name string) bool { return c.Tied && name == "lm_head.weight" },
		Describe: fmt.Sprintf("num_hidden_layers %d, tie_word_embeddings %v", c.Layers, c.Tied),
		// Every matrix inside a block is an nn.Linear (the norms are vectors).
		Linear:   func(key string) bool { return strings.HasPrefix(key, "model.layers.") },
		AsStored: true,
	}
}
