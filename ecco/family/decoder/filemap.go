package decoder

import (
	"reflect"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/tensors"
)

// spanSource is a Source that says where a tensor's values lie in its file as float32 values of
// this machine (*safetensors.Set: dtype F32), so that a weight can map them instead of reading.
type spanSource interface {
	Float32Span(name string) (path string, offset int64, ok bool)
}

// mappedWeight returns a weight of shape whose storage maps the file's bytes at path from offset
// (copy on write: the file never changes), or false when it cannot: a backend other than the Go
// one, a weight under offHeapBytes, a misaligned offset or a failed mapping. The mapping is
// released when the weight's buffer is collected.
//
// Why: reading copied every weight into fresh memory, which the kernel had to fault in and
// zero, 1.2 million page faults for Llama-3.2-1B's 4.7 GB; a mapping of the file shares the
// page cache's pages, faulted in 64 KB at a time on first use, with no copy (BENCHMARKS.md,
// "Weights mapped from the checkpoint"). The price: a checkpoint file changed while a model uses
// it changes or faults that model, as with any mapped loader.
func mappedWeight(backend compute.Backend, shape []int, path string, offset int64) (*tensors.Tensor, bool) {
	s := shapes.Make(dtypes.Float32, shape...)
	if !backend.HasSharedBuffers() || 4*s.Size() < offHeapBytes || offset%4 != 0 {
		return nil, false
	}
	buffer, _, err := backend.NewSharedBuffer(0, shapes.Make(s.DType, 1))
	if err != nil {
		return nil, false
	}
	if _, _, _, ok := goFloatBuffer(buffer); !ok {
		return nil, false
	}
	values, ok := fileFloats((*byte)(reflect.ValueOf(buffer).UnsafePointer()), path, offset, s.Size())
	if !ok || !setStorage(buffer, s, values) {
		return nil, false
	}
	t, err := tensors.FromBuffer(buffer)
	return t, err == nil
}
