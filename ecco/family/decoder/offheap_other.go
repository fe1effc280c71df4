//go:build !(linux || darwin)

package decoder

import "sync/atomic"

// mappedBytes stays 0: nothing is mapped.
var mappedBytes atomic.Int64

// offHeapFloats is unavailable here: weights stay on Go's heap.
func offHeapFloats[T any](owner *T, n int) (values []float32, ok bool) { return nil, false }

// fileFloats is unavailable here: weights are read.
func fileFloats[T any](owner *T, path string, offset int64, n int) (values []float32, ok bool) {
	return nil, false
}
