package decoder

import (
	"math"
	"reflect"
	"runtime"
	"testing"
	"time"

	"github.com/gomlx/compute/gobackend"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
)

// TestWeightsTakeExactStorage: on the Go backend a weight's storage is exactly its values (the
// pool would round 576×576 floats up to 1.5 MiB), and graphs read the values through it.
func TestWeightsTakeExactStorage(t *testing.T) {
	backend, err := gobackend.New("ops_sequential")
	if err != nil {
		t.Fatal(err)
	}
	const rows, cols = 576, 576
	w, err := NewWeight(backend, []int{rows, cols}, func(dst []float32) error {
		for i := range dst {
			dst[i] = float32(i % 7)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	buf, err := w.Buffer(backend, 0)
	if err != nil {
		t.Fatal(err)
	}
	raw := reflect.ValueOf(buf).Elem().FieldByName("RawBytes")
	if !raw.IsValid() || raw.Len() != 4*rows*cols {
		t.Fatalf("the weight's storage: %v, want exactly %d bytes (the Go backend's buffer changed? see exactStorage)", raw, 4*rows*cols)
	}
	sum := MustExecOnce(backend, func(x *Node) *Node { return ReduceAllSum(x) }, w)
	want := float32(0)
	for i := range rows * cols {
		want += float32(i % 7)
	}
	if got := tensors.ToScalar[float32](sum); got != want {
		t.Errorf("sum of the weight through a graph = %g, want %g", got, want)
	}
}

// TestLargeWeightsLiveOutsideTheHeap: a weight of 16 MiB adds its size to the memory mapped
// outside Go's heap, not to the heap, and the mapping goes once the weight is collected.
func TestLargeWeightsLiveOutsideTheHeap(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skip("weights stay on the heap on", runtime.GOOS)
	}
	backend, err := gobackend.New("ops_sequential")
	if err != nil {
		t.Fatal(err)
	}
	const n = 4 << 20 // floats
	var before, after runtime.MemStats
	mapped := settledMapping()
	runtime.ReadMemStats(&before)
	w, err := NewWeight(backend, []int{n}, func(dst []float32) error {
		for i := range dst {
			dst[i] = float32(i % 5)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if got := mappedBytes.Load() - mapped; got != 4*n {
		t.Errorf("mapped outside the heap: %d bytes more, want %d", got, 4*n)
	}
	if grown := int64(after.HeapAlloc) - int64(before.HeapAlloc); grown > n { // a quarter of the weight
		t.Errorf("the heap grew by %d bytes for a weight of %d", grown, 4*n)
	}
	sum := MustExecOnce(backend, func(x *Node) *Node { return ReduceAllSum(x) }, w)
	if got, want := tensors.ToScalar[float32](sum), float32(2*n); math.Abs(float64(got-want)) > 1e-3*float64(want) {
		t.Errorf("sum through a graph = %g, want %g", got, want)
	}
	w = nil
	if left := settledMapping() - mapped; left != 0 {
		t.Errorf("after the weight was collected %d bytes are still mapped", left)
	}
}

// settledMapping collects until the mapped memory stops changing (cleanups run on their own
// goroutine after a collection, so earlier tests' weights may still be going) and returns it.
func settledMapping() int64 {
	last := int64(-1)
	for range 100 {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
		now := mappedBytes.Load()
		if now == last {
			return now
		}
		last = now
	}
	return last
}
