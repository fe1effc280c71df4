package neox

import (
	"fmt"
	"strings"

	"github.com/ecco-go/ecco/ecco/family/decoder"
	"github.com/gomlx/compute"
)

const (
	embedKey = "gpt_neox.embed_in.weight"
	headKey  = "embed_out.weight"
)

// Load reads config.json and the safetensors weights (one file or shards) from dir and puts
// them on backend.
func Load(backend compute.Backend, dir string) (*decoder.Model, error) {
	return decoder.LoadDir(backend, dir, "gpt_neox", func(data []byte) (decoder.Config, error) { return ParseConfig(data) })
}

// Spec lists the tensors a checkpoint of c holds, with their shapes (nn.Linear: [out, in]), and
// reorders the fused projection's rows from head by head to [all q | all k | all v].
func (c *Config) Spec() decoder.Spec {
	d, n := c.Width, c.Inner
	want := map[string][]int{
		embedKey:                           {c.Vocab, d},
		"gpt_neox.final_layer_norm.weight": {d},
		"gpt_neox.final_layer_norm.bias":   {d},
	}
	if !c.Tied {
		want[headKey] = []int{c.Vocab, d}
	}
	for i := range c.Layers {
		l := fmt.Sprintf("gpt_neox.layers.%d.", i)
		for name, shape := range map[string][]int{
			"input_layernorm.weight": {d}, "input_layernorm.bias": {d},
			"post_attention_layernorm.weight": {d}, "post_attention_layernorm.bias": {d},
			"attention.query_key_value.weight": {3 * d, d}, "attention.dense.weight": {d, d},
			"mlp.dense_h_to_4h.weight": {n, d}, "mlp.dense_h_to_4h.bias": {n},
			"mlp.dense_4h_to_h.weight": {d, n}, "mlp.dense_4h_to_h.bias": {d},
		} {
			want[l+name] = shape
		}
		if c.Bias {
			want[l+"attention.query_key_value.bias"] = []int{3 * d}
			want[l+"attention.dense.bias"] = []int{d}
		}
	}
	perm := c.fusedRows()
	return decoder.Spec{
		Family: "gpt_neox", Want: want,
		// Causal-mask and rotary buffers of real checkpoints, and a tied head's copy.
		Ignore: func(name string) bool {
			return strings.HasSuffix(name, ".attention.bias") || strings.HasSuffix(name, ".attention.masked_bias") ||
				strings.HasSuffix(name, ".rotary_emb.inv_freq") || (c.Tied && name == headKey)
		},
		Describe: fmt.Sprintf("num_hidden_layers %d, tie_word_embeddings %v, attention_bias %v", c.Layers, c.Tied, c.Bias),
		// Every matrix inside a block is an nn.Linear (the norms' vectors are not matrices).
		Linear:   func(key string) bool { return strings.HasPrefix(key, "gpt_neox.layers.") },
		AsStored: true,
		Rows: func(key string) []int {
			if strings.HasSuffix(key, ".attention.query_key_value.weight") || strings.HasSuffix(key, ".attention.query_key_value.bias") {
				return perm
			}
			return nil
		},
	}
}

// fusedRows maps the rows of [all q | all k | all v] to the checkpoint's, which holds head h's
// q, k and v at rows 3·dh·h + part·dh + j.
func (c *Config) fusedRows() []int {
	dh := c.HeadDim
	perm := make([]int, 0, 3*c.Width)
	for part := range 3 {
		for h := range c.Heads {
			for j := range dh {
				perm = append(perm, 3*dh*h+part*dh+j)
			}
		}
	}
	return perm
}
