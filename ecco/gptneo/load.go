package gptneo

import (
	"fmt"
	"os"
	"strings"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/decoder"
	"github.com/ecco-go/ecco/ecco/safetensors"
	"github.com/gomlx/compute"
)

// Load reads config.json and the safetensors weights (one file or shards) from dir and puts
// them on backend.
func Load(backend compute.Backend, dir string) (*decoder.Model, error) {
	data, err := family.ReadConfig(os.DirFS(dir))
	if err != nil {
		return nil, fmt.Errorf("gpt_neo: %s: %w", dir, err)
	}
	cfg, err := ParseConfig(data)
	if err != nil {
		return nil, fmt.Errorf("gpt_neo: %s/%s: %w", dir, family.ConfigFile, err)
	}
	src, err := safetensors.OpenDir(dir)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	return New(backend, cfg, src, dir)
}

// New checks and reads the weights of cfg from src (where names it in errors) onto backend.
func New(backend compute.Backend, cfg *Config, src decoder.Source, where string) (*decoder.Model, error) {
	w, err := decoder.Read(src, Spec(cfg), where)
	if err != nil {
		return nil, err
	}
	return decoder.New(backend, cfg.Info(), newArch(cfg), w)
}

// Spec lists the tensors a checkpoint of c holds, with their shapes (nn.Linear: [out, in]).
// The LM head is tied to wte; a stored lm_head.weight copy is accepted and ignored.
func Spec(c *Config) decoder.Spec {
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
	}
}
