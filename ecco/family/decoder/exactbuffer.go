package decoder

import (
	"reflect"
	"unsafe"

	"github.com/gomlx/compute"
)

// exactStorage gives a new shared buffer of the Go backend storage of exactly n float32 values
// and returns it; ok is false (buffer untouched) on a backend whose buffer is not the Go
// backend's struct with RawBytes []byte and Flat any (compute v0.1.6's gobackend.Buffer).
//
// Why: the Go backend takes every buffer from pools sized 2^k or 1.5·2^k bytes, so a weight
// got up to a third more memory than it holds. The unused tail is never touched, so it costs no
// resident memory, but the collector counts it as live heap and sets its next goal a quarter
// (GOGC=25) above that. Heap profiles ($ECCO_MEMPROFILE): SmolLM-135M's weights and head copy
// 798 → 682 MiB, DistilGPT2's 598 → 457 MiB; SmolLM's generate 35 + grad×input + activations
// peaked at 1.40 GB instead of 1.46 GB (BENCHMARKS.md). A shared buffer is "user fed", never
// returned to a pool, so its storage may have any size; the pooled storage becomes garbage at
// once. TestWeightsTakeExactStorage fails if the Go backend's buffer loses these fields.
//
// Weights of offHeapBytes or more are mapped outside Go's heap (offHeapFloats) and unmapped when
// their buffer is collected. Why: the collector sets its next goal GOGC percent above the live
// heap, so with the weights in it the headroom grew with the model instead of with the work.
// The Go backend never returns a shared ("user fed") buffer's storage to its pools, never donates
// it, and copies it for an output, so nothing else holds the memory. BENCHMARKS.md, "Weights
// outside the collected heap".
func exactStorage(buffer compute.Buffer, n int) (flat []float32, ok bool) {
	raw, anyFlat, valid := goBufferFields(buffer)
	if !valid {
		return nil, false
	}
	if old, isF32 := anyFlat.Interface().([]float32); !isF32 || len(old) != n {
		return nil, false
	}
	if n == 0 {
		return []float32{}, true
	}
	storage, mapped := []float32(nil), false
	if 4*n >= offHeapBytes {
		storage, mapped = offHeapFloats((*byte)(reflect.ValueOf(buffer).UnsafePointer()), n)
	}
	if !mapped {
		storage = make([]float32, n) // float32-aligned, as the pool's []byte storage is in practice
	}
	raw.Set(reflect.ValueOf(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(storage))), 4*n)))
	anyFlat.Set(reflect.ValueOf(storage))
	return storage, true
}

// goBufferFields returns the settable RawBytes []byte and Flat any fields of compute v0.1.6's Go
// backend buffer; ok is false for any other buffer.
func goBufferFields(buffer compute.Buffer) (raw, flat reflect.Value, ok bool) {
	v := reflect.ValueOf(buffer)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return raw, flat, false
	}
	raw, flat = v.Elem().FieldByName("RawBytes"), v.Elem().FieldByName("Flat")
	ok = raw.IsValid() && flat.IsValid() && raw.Type() == reflect.TypeFor[[]byte]() &&
		flat.Kind() == reflect.Interface && raw.CanSet() && flat.CanSet()
	return raw, flat, ok
}

// offHeapBytes is the smallest weight mapped outside the heap: smaller ones (norms, biases)
// would each take a page or more.
const offHeapBytes = 1 << 20
