package decoder

import (
	"fmt"
	"maps"
	"slices"
)

// Source is what weights are read from; *safetensors.Set satisfies it.
type Source interface {
	Names() []string
	Float32(name string) ([]float32, []int, error)
	Where(name string) string // the file holding name, for errors
}

// Weights holds every parameter under its checkpoint key, as float32 in row-major order.
type Weights struct {
	Names  []string             // sorted: the order graphs take them as parameters
	Shapes map[string][]int     // by name
	Data   map[string][]float32 // by name
}

// Spec is what a family expects of a checkpoint.
type Spec struct {
	Family   string                 // for errors: "llama", "gpt_neo"
	Want     map[string][]int       // every tensor the config implies, with its shape
	Ignore   func(name string) bool // tensors that may be present and are not read (buffers, a tied head's copy)
	Describe string                 // what the config says about the layers, for the extra-tensor error
}

// Read reads and checks every tensor of spec from src: a missing tensor, a tensor of another
// shape and a tensor the config does not account for are each an error naming the tensor and
// its file. where names the checkpoint in errors.
func Read(src Source, spec Spec, where string) (*Weights, error) {
	names := src.Names()
	have := make(map[string]bool, len(names))
	for _, n := range names {
		have[n] = true
	}
	w := &Weights{Shapes: map[string][]int{}, Data: map[string][]float32{}}
	for _, key := range slices.Sorted(maps.Keys(spec.Want)) {
		if !have[key] {
			return nil, fmt.Errorf("%s: %s: tensor %q is missing (expected shape %v; the checkpoint holds %d tensors)", spec.Family, where, key, spec.Want[key], len(names))
		}
		if err := w.read(src, spec.Family, key, spec.Want[key]); err != nil {
			return nil, err
		}
	}
	for _, name := range names {
		if _, want := spec.Want[name]; !want && (spec.Ignore == nil || !spec.Ignore(name)) {
			return nil, fmt.Errorf("%s: %s: unexpected tensor %q: the config (%s) does not account for it", spec.Family, src.Where(name), name, spec.Describe)
		}
	}
	slices.Sort(w.Names)
	return w, nil
}

func (w *Weights) read(src Source, family, key string, want []int) error {
	data, shape, err := src.Float32(key)
	if err != nil {
		return fmt.Errorf("%s: %s: reading %q: %w", family, src.Where(key), key, err)
	}
	if !slices.Equal(shape, want) {
		return fmt.Errorf("%s: %s: tensor %q has shape %v, expected %v from config.json", family, src.Where(key), key, shape, want)
	}
	w.Names = append(w.Names, key)
	w.Shapes[key], w.Data[key] = shape, data
	return nil
}
