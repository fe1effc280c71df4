package gpt2

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// TensorSource is what the loader reads weights from; *safetensors.File satisfies it.
type TensorSource interface {
	Names() []string
	// Shape returns a tensor's dimensions without reading it.
	Shape(name string) ([]int, error)
	// ReadFloat32 decodes a tensor into dst, which holds exactly its elements.
	ReadFloat32(name string, dst []float32) error
}

// Weights is a checked plan of what to read: every parameter under its HuggingFace key without
// the "transformer." prefix (e.g. "h.0.attn.c_proj.weight"), its shape, and the source tensor it
// comes from. Nothing is read until New decodes each tensor straight into its backend buffer.
// Conv1D weights stay [in, out], as stored.
type Weights struct {
	Names  []string          // parameter order used by the graphs
	Shapes map[string][]int  // by name
	from   map[string]string // by name: the source tensor's name
	src    TensorSource
	file   string // names the source in errors
}

// CheckpointShapes lists every tensor a GPT-2 checkpoint of c must hold, keyed as in the
// checkpoint without the "transformer." prefix, with its stored shape (Conv1D weights [in, out]).
func CheckpointShapes(c *Config) map[string][]int {
	d, n := c.NEmbd, c.NInner
	want := map[string][]int{
		"wte.weight":  {c.VocabSize, d},
		"wpe.weight":  {c.NPositions, d},
		"ln_f.weight": {d},
		"ln_f.bias":   {d},
	}
	for i := range c.NLayer {
		p := fmt.Sprintf("h.%d.", i)
		want[p+"ln_1.weight"] = []int{d}
		want[p+"ln_1.bias"] = []int{d}
		want[p+"ln_2.weight"] = []int{d}
		want[p+"ln_2.bias"] = []int{d}
		want[p+"attn.c_attn.weight"] = []int{d, 3 * d}
		want[p+"attn.c_attn.bias"] = []int{3 * d}
		want[p+"attn.c_proj.weight"] = []int{d, d}
		want[p+"attn.c_proj.bias"] = []int{d}
		want[p+"mlp.c_fc.weight"] = []int{d, n}
		want[p+"mlp.c_fc.bias"] = []int{n}
		want[p+"mlp.c_proj.weight"] = []int{n, d}
		want[p+"mlp.c_proj.bias"] = []int{d}
	}
	return want
}

// LoadWeights checks that src holds every tensor of a GPT-2 checkpoint of c with its shape; file
// names the source in errors. Keys may carry the "transformer." prefix (distilgpt2) or not
// (gpt2); attention buffers ("attn.bias", "attn.masked_bias") are ignored; "lm_head.weight",
// when present, must equal the tied embedding's shape and is used as the LM head.
func LoadWeights(src TensorSource, c *Config, file string) (*Weights, error) {
	names := src.Names()
	prefix := ""
	if slices.Contains(names, "transformer.wte.weight") {
		prefix = "transformer."
	}
	want := CheckpointShapes(c)
	if slices.Contains(names, "lm_head.weight") {
		want["lm_head.weight"] = want["wte.weight"]
	}
	w := &Weights{Shapes: map[string][]int{}, from: map[string]string{}, src: src, file: file}
	for _, key := range slices.Sorted(maps.Keys(want)) {
		name := prefix + key
		if key == "lm_head.weight" {
			name = key
		}
		if !slices.Contains(names, name) {
			return nil, fmt.Errorf("gpt2: %s: tensor %q is missing (expected shape %v; the file holds %d tensors)", file, name, want[key], len(names))
		}
		shape, err := src.Shape(name)
		if err != nil {
			return nil, fmt.Errorf("gpt2: %s: reading %q: %w", file, name, err)
		}
		if !slices.Equal(shape, want[key]) {
			return nil, fmt.Errorf("gpt2: %s: tensor %q has shape %v, expected %v from config.json", file, name, shape, want[key])
		}
		w.Names = append(w.Names, key)
		w.Shapes[key], w.from[key] = shape, name
	}
	for _, name := range names {
		if unexpected(strings.TrimPrefix(name, prefix), want) {
			return nil, fmt.Errorf("gpt2: %s: unexpected tensor %q: the config (n_layer %d) does not account for it", file, name, c.NLayer)
		}
	}
	return w, nil
}

// read decodes the parameter key into dst.
func (w *Weights) read(key string, dst []float32) error {
	if err := w.src.ReadFloat32(w.from[key], dst); err != nil {
		return fmt.Errorf("gpt2: %s: reading %q: %w", w.file, w.from[key], err)
	}
	return nil
}

// unexpected reports a tensor that is neither expected nor a known extra of real checkpoints.
func unexpected(key string, want map[string][]int) bool {
	if _, ok := want[key]; ok || key == "lm_head.weight" {
		return false
	}
	return !strings.HasSuffix(key, ".attn.bias") && !strings.HasSuffix(key, ".attn.masked_bias")
}
