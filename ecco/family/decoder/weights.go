package decoder

import (
	"fmt"
	"sync"

	"maps"
	"slices"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/tensors"
)

// Source is what weights are read from; *safetensors.Set satisfies it.
type Source interface {
	Names() []string
	Shape(name string) ([]int, error)             // a tensor's dimensions, without reading it
	ReadFloat32(name string, dst []float32) error // decodes a tensor into dst (exactly its size)
	Where(name string) string                     // the file holding name, for errors
}

// Weights is a checked plan of what to read: every parameter under its checkpoint key with its
// shape. Nothing is read until New decodes each tensor straight into its backend buffer.
type Weights struct {
	Names  []string          // sorted: the order graphs take them as parameters
	Shapes map[string][]int  // by name
	from   map[string]string // by name: the source tensor's name, when it differs
	src    Source
	family string
	linear func(key string) bool  // Spec.Linear
	stored bool                   // Spec.AsStored
	inOut  func(key string) bool  // Spec.InOut
	rows   func(key string) []int // Spec.Rows
}

// Renamed returns the same plan with every parameter renamed by rename (BERT drops a "bert."
// prefix); reads still go to the source's names.
func (w *Weights) Renamed(rename func(string) string) *Weights {
	r := &Weights{Shapes: map[string][]int{}, from: map[string]string{}, src: w.src, family: w.family, linear: w.linear, stored: w.stored, inOut: w.inOut, rows: w.rows}
	for _, name := range w.Names {
		key := rename(name)
		r.Names = append(r.Names, key)
		r.Shapes[key], r.from[key] = w.Shapes[name], w.source(name)
	}
	slices.Sort(r.Names)
	return r
}

// source is the source tensor's name of parameter key.
func (w *Weights) source(key string) string {
	if name, ok := w.from[key]; ok {
		return name
	}
	return key
}

// Spec is what a family expects of a checkpoint.
type Spec struct {
	Family   string                 // for errors: "llama", "gpt_neo"
	Want     map[string][]int       // every tensor the config implies, with its shape
	Ignore   func(name string) bool // tensors that may be present and are not read (buffers, a tied head's copy)
	Describe string                 // what the config says about the layers, for the extra-tensor error
	// Linear names the nn.Linear weights ([out, in] in the checkpoint) that Params.Linear reads:
	// they are stored transposed, [in, out], under key+InOut (nil: none). Why: x·Wᵀ with W
	// [out, in] makes compute v0.1.6 pack the whole weight with a scalar loop on every product
	// above its small-product size, every decoding step of Qwen2.5-0.5B's 896×4864 MLP; x·W with
	// W [in, out] takes the SIMD path (BenchmarkMatMul in this package: 98–131 against 58–88
	// GFLOP/s at 28–64 rows), and its gradient WeightProduct's.
	Linear func(key string) bool
	// AsStored keeps the Linear weights [out, in] as the checkpoint stores them, under their own
	// keys, for the decoder runtime's products of either layout (Params.Linear, backLinear). Why:
	// transposing them took 1 s of CPU in SmolLM-135M's load and 6.8 s in Llama-3.2-1B's, while
	// the runtime's products mostly are the backward passes' dy·W, whose right operand W [out,
	// in] takes compute's SIMD packing as it is; the forward products with few rows go through
	// (W·xᵀ)ᵀ and the decoding steps through row blocks (BENCHMARKS.md, "nn.Linear weights as
	// stored").
	AsStored bool
	// InOut names the weights a checkpoint already stores [in, out] (GPT-2's Conv1D): read as
	// they are, under key+InOut, so Params.Linear treats them as the transposed nn.Linear ones
	// (nil: none).
	InOut func(key string) bool
	// Rows reorders the first axis of a tensor as it is read: row i of parameter key is row
	// perm[i] of the stored tensor (nil, or a nil perm: as stored). GPT-NeoX stores its fused
	// queries, keys and values head by head; the permutation makes them the [q | k | v] that
	// SelfAttention.Fused reads.
	Rows func(key string) (perm []int)
}

// InOut suffixes the key of a weight held [in, out] (see Spec.Linear and Spec.InOut).
const InOut = ":in_out"

// Read checks every tensor of spec against src's headers: a missing tensor, a tensor of another
// shape and a tensor the config does not account for are each an error naming the tensor and
// its file. where names the checkpoint in errors.
func Read(src Source, spec Spec, where string) (*Weights, error) {
	names := src.Names()
	have := make(map[string]bool, len(names))
	for _, n := range names {
		have[n] = true
	}
	w := &Weights{Shapes: map[string][]int{}, src: src, family: spec.Family, linear: spec.Linear, stored: spec.AsStored, inOut: spec.InOut, rows: spec.Rows}
	for _, key := range slices.Sorted(maps.Keys(spec.Want)) {
		if !have[key] {
			return nil, fmt.Errorf("%s: %s: tensor %q is missing (expected shape %v; the checkpoint holds %d tensors)", spec.Family, where, key, spec.Want[key], len(names))
		}
		if err := w.check(src, spec.Family, key, spec.Want[key]); err != nil {
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

func (w *Weights) check(src Source, family, key string, want []int) error {
	shape, err := src.Shape(key)
	if err != nil {
		return fmt.Errorf("%s: %s: reading %q: %w", family, src.Where(key), key, err)
	}
	if !slices.Equal(shape, want) {
		return fmt.Errorf("%s: %s: tensor %q has shape %v, expected %v from config.json", family, src.Where(key), key, shape, want)
	}
	w.Names = append(w.Names, key)
	w.Shapes[key] = shape
	return nil
}

// Read decodes the parameter key into dst, which holds exactly its elements.
func (w *Weights) Read(key string, dst []float32) error {
	name := w.source(key)
	var perm []int
	if w.rows != nil {
		perm = w.rows(name)
	}
	if perm == nil {
		if err := w.src.ReadFloat32(name, dst); err != nil {
			return fmt.Errorf("%s: %s: reading %q: %w", w.family, w.src.Where(name), name, err)
		}
		return nil
	}
	if len(perm) == 0 || len(dst)%len(perm) != 0 {
		return fmt.Errorf("%s: %s: %q: a permutation of %d rows does not divide its %d values", w.family, w.src.Where(name), name, len(perm), len(dst))
	}
	stored := make([]float32, len(dst))
	if err := w.src.ReadFloat32(name, stored); err != nil {
		return fmt.Errorf("%s: %s: reading %q: %w", w.family, w.src.Where(name), name, err)
	}
	width := len(dst) / len(perm)
	for i, from := range perm {
		copy(dst[i*width:(i+1)*width], stored[from*width:(from+1)*width])
	}
	return nil
}

// Upload decodes every parameter onto backend (newWeight, one goroutine per core) and returns
// the weights in w.Names order with their graph keys; name prefixes errors ("llama").
func (w *Weights) Upload(backend compute.Backend, name string) (keys []string, weights []*tensors.Tensor, err error) {
	keys, weights = make([]string, len(w.Names)), make([]*tensors.Tensor, len(w.Names))
	var sc scratch
	err = ForEach(len(w.Names), func(i int) (err error) {
		if weights[i], keys[i], err = w.newWeight(backend, w.Names[i], &sc); err != nil {
			return fmt.Errorf("%s: %q: %w", name, w.Names[i], err)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return keys, weights, nil
}

// newWeight decodes parameter name onto backend and returns it with its graph key: an nn.Linear
// weight (Spec.Linear) is transposed to [in, out] on the way and keyed name+InOut unless
// Spec.AsStored keeps it [out, in] under its name; a weight stored [in, out] (Spec.InOut) is
// keyed name+InOut as it is.
func (w *Weights) newWeight(backend compute.Backend, name string, sc *scratch) (*tensors.Tensor, string, error) {
	shape := w.Shapes[name]
	is := func(f func(string) bool) bool { return f != nil && f(name) && len(shape) == 2 }
	if !is(w.linear) || w.stored {
		key := name
		if is(w.inOut) {
			key += InOut
		}
		if t, ok := w.mapped(backend, name); ok {
			return t, key, nil
		}
		t, err := NewWeight(backend, shape, func(dst []float32) error { return w.Read(name, dst) })
		return t, key, err
	}
	t, err := NewWeight(backend, []int{shape[1], shape[0]}, func(dst []float32) error {
		stored := sc.get(len(dst))
		defer sc.put(stored)
		if err := w.Read(name, stored); err != nil {
			return err
		}
		transposeBlocked(dst, stored, shape[0], shape[1])
		return nil
	})
	return t, name + InOut, err
}

// mapped returns parameter key as a weight mapped from its file (mappedWeight), or false when
// it is not stored as it is held (another dtype, rows reordered) or cannot be mapped.
func (w *Weights) mapped(backend compute.Backend, key string) (*tensors.Tensor, bool) {
	src, ok := w.src.(spanSource)
	name := w.source(key)
	if !ok || (w.rows != nil && w.rows(name) != nil) {
		return nil, false
	}
	path, offset, ok := src.Float32Span(name)
	if !ok {
		return nil, false
	}
	return mappedWeight(backend, w.Shapes[key], path, offset)
}

// Shapes collects the tensors a config implies, by checkpoint key, for Spec.Want.
type Shapes map[string][]int

// Linear adds an nn.Linear's weight [out, in] under prefix+".weight", and its bias [out] under
// prefix+".bias" when bias is set.
func (s Shapes) Linear(prefix string, out, in int, bias bool) {
	s[prefix+".weight"] = []int{out, in}
	if bias {
		s[prefix+".bias"] = []int{out}
	}
}

// scratch lends the float32 buffers an Upload reads transposed weights into, kept from one
// weight to the next.
//
// Why: a new buffer per weight was 4.3 GB of fresh memory to fault in and zero for
// Llama-3.2-1B's load (half of its page faults, `perf record -e page-faults`), the collector
// having freed the last one meanwhile.
type scratch struct {
	mu   sync.Mutex
	free [][]float32
}

// get returns a buffer of n values (contents undefined): a free one large enough, else a new one.
func (s *scratch) get(n int) []float32 {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, b := range s.free {
		if cap(b) >= n {
			s.free = slices.Delete(s.free, i, i+1)
			return b[:n]
		}
	}
	if len(s.free) > 0 { // all too small: let the smallest go
		s.free = s.free[1:]
	}
	return make([]float32, n)
}

// put returns b for later weights, the free buffers kept by increasing size.
func (s *scratch) put(b []float32) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, _ := slices.BinarySearchFunc(s.free, cap(b), func(f []float32, c int) int { return cap(f) - c })
	s.free = slices.Insert(s.free, i, b)
}

// rowBlocked reports whether parameter key is held [out, in] with row blocks (Spec.AsStored):
// a product of one row with it would reach compute's large kernel.
func (w *Weights) rowBlocked(key string) bool {
	shape := w.Shapes[key]
	return w.stored && w.linear != nil && w.linear(key) && len(shape) == 2 && shape[0]*shape[1] >= smallProduct
}
