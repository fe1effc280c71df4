package gpt2

import (
	"fmt"
	"slices"
	"strings"
)

// TensorSource is what the loader reads weights from; *safetensors.File satisfies it.
type TensorSource interface {
	Names() []string
	Float32(name string) ([]float32, []int, error)
}

// Weights holds every parameter under its HuggingFace key without the "transformer." prefix
// (e.g. "h.0.attn.c_proj.weight"), as float32 in row-major order. Conv1D weights stay [in, out].
// The fused "h.{i}.attn.c_attn.{weight,bias}" is split at load time into
// "h.{i}.attn.c_attn.{q,k,v}.{weight,bias}", so that the graph never slices (the gradient of
// Slice needs Pad, which the pure-Go backend lacks).
type Weights struct {
	Names  []string             // parameter order used by the graphs
	Shapes map[string][]int     // by name
	Data   map[string][]float32 // by name
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

// LoadWeights reads and checks every tensor of a GPT-2 checkpoint. file names the source in errors.
// Keys may carry the "transformer." prefix (distilgpt2) or not (gpt2); attention buffers
// ("attn.bias", "attn.masked_bias") are ignored; "lm_head.weight", when present, must equal the
// tied embedding's shape and is used as the LM head.
func LoadWeights(src TensorSource, c *Config, file string) (*Weights, error) {
	names := src.Names()
	prefix := ""
	if slices.Contains(names, "transformer.wte.weight") {
		prefix = "transformer."
	}
	want := CheckpointShapes(c)
	w := &Weights{Shapes: map[string][]int{}, Data: map[string][]float32{}}
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, key := range keys {
		if !slices.Contains(names, prefix+key) {
			return nil, fmt.Errorf("gpt2: %s: tensor %q is missing (expected shape %v; the file holds %d tensors)", file, prefix+key, want[key], len(names))
		}
		if err := w.read(src, file, prefix+key, key, want[key]); err != nil {
			return nil, err
		}
	}
	if slices.Contains(names, "lm_head.weight") {
		if err := w.read(src, file, "lm_head.weight", "lm_head.weight", want["wte.weight"]); err != nil {
			return nil, err
		}
	}
	for i := range c.NLayer {
		w.splitQKV(fmt.Sprintf("h.%d.attn.c_attn.", i), c.NEmbd)
	}
	for _, name := range names {
		if unexpected(strings.TrimPrefix(name, prefix), want) {
			return nil, fmt.Errorf("gpt2: %s: unexpected tensor %q: the config (n_layer %d) does not account for it", file, name, c.NLayer)
		}
	}
	slices.Sort(w.Names)
	return w, nil
}

func (w *Weights) read(src TensorSource, file, name, key string, want []int) error {
	data, shape, err := src.Float32(name)
	if err != nil {
		return fmt.Errorf("gpt2: %s: reading %q: %w", file, name, err)
	}
	if !slices.Equal(shape, want) {
		return fmt.Errorf("gpt2: %s: tensor %q has shape %v, expected %v from config.json", file, name, shape, want)
	}
	w.set(key, shape, data)
	return nil
}

func (w *Weights) set(key string, shape []int, data []float32) {
	if _, ok := w.Data[key]; !ok {
		w.Names = append(w.Names, key)
	}
	w.Shapes[key] = shape
	w.Data[key] = data
}

func (w *Weights) remove(key string) {
	w.Names = slices.DeleteFunc(w.Names, func(n string) bool { return n == key })
	delete(w.Shapes, key)
	delete(w.Data, key)
}

// splitQKV turns the fused c_attn [D, 3D] weight and [3D] bias into three [D, D] and [D] parts.
func (w *Weights) splitQKV(p string, d int) {
	weight, bias := w.Data[p+"weight"], w.Data[p+"bias"]
	for part, name := range []string{"q", "k", "v"} {
		pw := make([]float32, d*d)
		for r := range d {
			copy(pw[r*d:(r+1)*d], weight[r*3*d+part*d:r*3*d+(part+1)*d])
		}
		w.set(p+name+".weight", []int{d, d}, pw)
		w.set(p+name+".bias", []int{d}, slices.Clone(bias[part*d:(part+1)*d]))
	}
	w.remove(p + "weight")
	w.remove(p + "bias")
}

// unexpected reports a tensor that is neither expected nor a known extra of real checkpoints.
func unexpected(key string, want map[string][]int) bool {
	if _, ok := want[key]; ok || key == "lm_head.weight" {
		return false
	}
	return !strings.HasSuffix(key, ".attn.bias") && !strings.HasSuffix(key, ".attn.masked_bias")
}
