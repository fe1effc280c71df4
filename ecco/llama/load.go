package llama

import (
	"fmt"
	"strings"

	"github.com/ecco-go/ecco/ecco/family/decoder"
	"github.com/gomlx/compute"
)

// Load reads config.json and the safetensors weights (one file or shards) from dir and puts
// them on backend.
func Load(backend compute.Backend, dir string) (*decoder.Model, error) {
	return decoder.LoadDir(backend, dir, "llama", func(data []byte) (decoder.Config, error) { return ParseConfig(data) })
}

// Spec lists the tensors a checkpoint of c holds, with their shapes (nn.Linear: [out, in]).
func (c *Config) Spec() decoder.Spec {
	d, n := c.Width, c.Inner
	q, kv := c.Heads*c.HeadDim, c.KVHeads*c.HeadDim
	want := decoder.Shapes{
		embedKey:            {c.Vocab, d},
		"model.norm.weight": {d},
	}
	if !c.Tied {
		want["lm_head.weight"] = []int{c.Vocab, d}
	}
	for i := range c.Layers {
		l := fmt.Sprintf("model.layers.%d.", i)
		linear := func(name string, out, in int, bias bool) { want.Linear(l+name, out, in, bias) }
		if c.QKNorm {
			want[l+"self_attn.q_norm.weight"] = []int{c.HeadDim}
			want[l+"self_attn.k_norm.weight"] = []int{c.HeadDim}
		}
		want[l+"input_layernorm.weight"] = []int{d}
		want[l+"post_attention_layernorm.weight"] = []int{d}
		linear("self_attn.q_proj", q, d, c.QKVBias)
		linear("self_attn.k_proj", kv, d, c.QKVBias)
		linear("self_attn.v_proj", kv, d, c.QKVBias)
		linear("self_attn.o_proj", d, q, c.OBias)
		linear("mlp.gate_proj", n, d, c.MLPBias)
		linear("mlp.up_proj", n, d, c.MLPBias)
		linear("mlp.down_proj", d, n, c.MLPBias)
	}
	return decoder.Spec{
		Family: c.ModelType, Want: want,
		// Rotary inv_freq buffers of older checkpoints, and the copy of a tied head some store.
		Ignore: func(name string) bool {
			return strings.HasSuffix(name, "rotary_emb.inv_freq") || (c.Tied && name == "lm_head.weight")
		},
		Describe: fmt.Sprintf("num_hidden_layers %d, tie_word_embeddings %v", c.Layers, c.Tied),
		// Every matrix inside a block is an nn.Linear (the norms' vectors are not matrices).
		Linear:   func(key string) bool { return strings.HasPrefix(key, "model.layers.") },
		AsStored: true,
	}
}
