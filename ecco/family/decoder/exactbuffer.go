package decoder

import (
	"reflect"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
)

// newExactBuffer makes a shared float32 buffer of shape s on backend and returns it with its
// storage. On the Go backend the storage holds exactly s's values (exactStorage); elsewhere it is
// the backend's own.
//
// Why a one-value buffer first: the Go backend would take the full size from its pools and zero
// it, only for exactStorage to drop it at once; loading Llama-3.2-1B zeroed 4.9 GB that way (a
// fifth of the load's page faults, `perf record -e page-faults`).
func newExactBuffer(backend compute.Backend, s shapes.Shape) (compute.Buffer, []float32, error) {
	small, _, err := backend.NewSharedBuffer(0, shapes.Make(s.DType, 1))
	if err != nil {
		return nil, nil, err
	}
	if exact, ok := exactStorage(small, s); ok {
		return small, exact, nil
	}
	buffer, flat, err := backend.NewSharedBuffer(0, s)
	if err != nil {
		return nil, nil, err
	}
	return buffer, flat.([]float32), nil
}

// exactStorage gives a shared buffer of the Go backend new storage of exactly shape's float32
// values and that shape, and returns the storage; ok is false (buffer untouched) on a backend
// whose buffer is not the Go backend's struct with RawShape, RawBytes []byte and Flat any
// (compute v0.1.6's gobackend.Buffer).
//
// Why: the Go backend takes every buffer from pools sized 2^k or 1.5·2^k bytes, so a weight
// got up to a third more memory than it holds. The unused tail is never touched, so it costs no
// resident memory, but the collector counted it as live heap. Heap profiles ($ECCO_MEMPROFILE):
// SmolLM-135M's weights and head copy 798 → 682 MiB, DistilGPT2's 598 → 457 MiB (BENCHMARKS.md).
// A shared buffer is "user fed", never returned to a pool, so its storage may have any size.
// TestWeightsTakeExactStorage fails if the Go backend's buffer loses these fields.
//
// Weights of offHeapBytes or more are mapped outside Go's heap (offHeapFloats) and unmapped when
// their buffer is collected. Why: the collector sets its next goal GOGC percent above the live
// heap, so with the weights in it the headroom grew with the model instead of with the work.
// The Go backend never returns a shared ("user fed") buffer's storage to its pools, never donates
// it, and copies it for an output, so nothing else holds the memory. BENCHMARKS.md, "Weights
// outside the collected heap".
func exactStorage(buffer compute.Buffer, shape shapes.Shape) (flat []float32, ok bool) {
	if _, _, _, ok := goFloatBuffer(buffer); shape.DType != dtypes.Float32 || !ok {
		return nil, false
	}
	n := shape.Size()
	storage, mapped := []float32{}, false
	if 4*n >= offHeapBytes {
		storage, mapped = offHeapFloats((*byte)(reflect.ValueOf(buffer).UnsafePointer()), n)
	}
	if !mapped && n > 0 {
		storage = make([]float32, n)
	}
	return storage, setStorage(buffer, shape, storage)
}

// offHeapBytes is the smallest weight mapped outside the heap: smaller ones (norms, biases)
// would each take a page or more.
const offHeapBytes = 1 << 20
