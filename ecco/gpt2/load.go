package gpt2

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/ecco-go/ecco/ecco/family/decoder"
	"github.com/ecco-go/ecco/ecco/safetensors"
	"github.com/gomlx/compute"
)

// Load reads config.json and the safetensors weights (one file or shards) from dir and puts them
// on backend.
func Load(backend compute.Backend, dir string) (*decoder.Model, error) {
	cfg, err := LoadConfig(os.DirFS(dir))
	if err != nil {
		return nil, fmt.Errorf("%w (in %s)", err, dir)
	}
	src, err := safetensors.OpenDir(dir)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	return decoder.Load(backend, cfg.Checkpoint(src.Names()), src, dir)
}

// Checkpoint is a Config together with how its checkpoint names the tensors; it is the
// decoder.Config a GPT-2 model loads from.
type Checkpoint struct {
	*Config
	Prefix string // "transformer." (distilgpt2 and the transformers library's saves) or "" (gpt2)
	Head   bool   // lm_head.weight is stored and is the LM head; otherwise the head is wte
}

// Checkpoint describes a checkpoint of c holding the tensors names.
func (c *Config) Checkpoint(names []string) Checkpoint {
	k := Checkpoint{Config: c, Head: slices.Contains(names, headKey)}
	if slices.Contains(names, "transformer.wte.weight") {
		k.Prefix = "transformer."
	}
	return k
}

const headKey = "lm_head.weight"

// Spec lists the tensors of the checkpoint with their shapes: CheckpointShapes under the
// prefix, and the LM head when stored. The attention buffers of older checkpoints (attn.bias,
// attn.masked_bias) are accepted and ignored.
func (k Checkpoint) Spec() decoder.Spec {
	want := map[string][]int{}
	for key, shape := range CheckpointShapes(k.Config) {
		want[k.Prefix+key] = shape
	}
	if k.Head {
		want[headKey] = []int{k.VocabSize, k.NEmbd}
	}
	return decoder.Spec{
		Family: "gpt2", Want: want,
		Ignore: func(name string) bool {
			return strings.HasSuffix(name, ".attn.bias") || strings.HasSuffix(name, ".attn.masked_bias")
		},
		Describe: fmt.Sprintf("n_layer %d", k.NLayer),
		// Every matrix inside a block is a Conv1D, stored [in, out].
		InOut: func(key string) bool { return strings.HasPrefix(key, k.Prefix+"h.") },
	}
}
