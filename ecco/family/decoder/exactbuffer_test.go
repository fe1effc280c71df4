package decoder

import (
	"reflect"
	"testing"

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
