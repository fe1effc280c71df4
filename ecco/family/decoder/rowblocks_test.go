package decoder

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/compute/gobackend"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
)

// TestStoredProductWays: x·Wᵀ for a weight held [out, in] as stored gives the host's float64
// product, within 1e-5 of its largest value, each way storedProduct takes: one row through the
// weight's row blocks (several of them here), a few rows through (W·xᵀ)ᵀ and many rows directly.
func TestStoredProductWays(t *testing.T) {
	backend, err := gobackend.New("ops_sequential")
	if err != nil {
		t.Fatal(err)
	}
	const out, in = 9000, 512 // 4.6 Mi values: two row blocks
	rng := rand.New(rand.NewPCG(7, 1))
	values := make([]float32, out*in)
	for i := range values {
		values[i] = float32(rng.NormFloat64())
	}
	w, err := NewWeight(backend, []int{out, in}, func(dst []float32) error { copy(dst, values); return nil })
	if err != nil {
		t.Fatal(err)
	}
	views, ok, err := rowViews(backend, w)
	if err != nil || !ok || len(views) != 2 {
		t.Fatalf("row views of a [%d, %d] weight: %d views, ok %v, err %v; want 2", out, in, len(views), ok, err)
	}
	names, weights := []string{"w"}, []*tensors.Tensor{w}
	for i, v := range views {
		names, weights = append(names, rowBlockKey("w", i)), append(weights, v)
	}
	for _, rows := range []int{1, 3, 300} {
		t.Run(fmt.Sprintf("%d rows", rows), func(t *testing.T) {
			x := make([]float32, rows*in)
			for i := range x {
				x[i] = float32(rng.NormFloat64())
			}
			e := MustNewExec(backend, func(nodes []*Node) *Node {
				p, rest := Bind(names, nodes)
				return p.storedProduct("w", rest[0])
			})
			args := []any{}
			for _, t := range weights {
				args = append(args, t)
			}
			got, err := tensors.CopyFlatData[float32](e.MustExec(append(args, tensors.FromFlatDataAndDimensions(x, 1, rows, in))...)[0])
			if err != nil {
				t.Fatal(err)
			}
			want := make([]float64, rows*out)
			for r := range rows {
				for o := range out {
					var sum float64
					for k := range in {
						sum += float64(x[r*in+k]) * float64(values[o*in+k])
					}
					want[r*out+o] = sum
				}
			}
			compareFloats(t, "x·Wᵀ", widen(got), want, 1e-5)
		})
	}
}
