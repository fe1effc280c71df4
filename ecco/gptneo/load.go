package gptneo

import (
	"fmt"
	"strings"

	"github.com/ecco-go/ecco/ecco/family/decoder"
	"github.com/gomlx/compute"
)

// Load reads config.json and the safetensors weights (one file or shards) from dir and puts
// them on backend.
func Load(backend compute.Backend, dir string) (*decoder.Model, error) {
	return decoder.LoadDir(backend, dir, "gpt_neo", func(data []byte) (decoder.Config, error) { return ParseConfig(data) })
}

// Spec lists the tensors a checkpoint of c holds, with their shapes (nn.Linear: [out, in]).
// The LM head is tied to wte; a stored lm_head.weight copy is accepted and ignored.
func (c *Config) Spec() decoder.Spec {
	d, n := c.Width, c.Inner
	want := map[string][]int{
		embedKey:                  {c.Vocab, d},
		positionKey:               {c.Positions, d},
		"transformer.ln_f.weight": {d},
		"transformer.ln_f.bias":   {d},
	}
	for i := range c.Layers {
		l := fmt.Sprintf("transformer.h.%d.", i)
		for name, shape := range map[string][]int{
			"ln_1.weight": {d}, "ln_1.bias": {d}, "ln_2.weight": {d}, "ln_2.bias": {d},
			"attn.attention.q_proj.weight": {d, d}, "attn.attention.k_proj.weight": {d, d}, "attn.attention.v_proj.weight": {d, d},
			"attn.attention.out_proj.weight": {d, d}, "attn.attention.out_proj.bias": {d},
			"mlp.c_fc.weight": {n, d}, "mlp.c_fc.bias": {n}, "mlp.c_proj.weight": {d, n}, "mlp.c_proj.bias": {d},
		} {
			want[l+name] = shape
		}
	}
	return decoder.Spec{
		Family: "gpt_neo", Want: want,
		Ignore: func(name string) bool {
			// Causal-mask buffers of older checkpoints, and a copy of the tied head.
			return name == "lm_head.weight" || strings.HasSuffix(name, ".attn.attention.bias") || strings.HasSuffix(name, ".attn.attention.masked_bias")
		},
		Describe: fmt.Sprintf("num_layers %d", c.Layers),
		// Every matrix inside a block is an nn.Linear (the norms' vectors are not matrices).
		Linear:   func(key string) bool { return strings.HasPrefix(key, "transformer.h.") },
		AsStored: true,
	}
}
