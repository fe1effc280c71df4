package decoder

import (
	"fmt"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/gobackend"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
)

// BenchmarkMatMul reports the Go backend's GFLOP/s at DistilGPT2's product shapes, for the
// weight layouts the model code chooses between (see weights.go's Spec.Linear, dot.go, head.go):
// x·W with W [in, out] ("in_out"), x·Wᵀ with W [out, in] ("out_in"), and the gradient's
// W·dyᵀ ("w_dyT"). Build with GOEXPERIMENT=simd to measure the AVX-512/AVX2 kernels.
//
//	GOEXPERIMENT=simd go test -run XXX -bench MatMul ./ecco/family/decoder
func BenchmarkMatMul(b *testing.B) {
	backend, err := gobackend.New("ops_sequential")
	if err != nil {
		b.Fatal(err)
	}
	products := map[string]func(x, w *Node) *Node{
		"in_out": func(x, w *Node) *Node { return DotGeneral(x, []int{1}, nil, w, []int{0}, nil) },
		"out_in": func(x, w *Node) *Node { return DotGeneral(x, []int{1}, nil, w, []int{1}, nil) },
		"w_dyT":  func(x, w *Node) *Node { return Transpose(DotGeneral(w, []int{1}, nil, x, []int{1}, nil), 0, 1) },
	}
	for _, rows := range []int{1, 28, 64} {
		for _, kn := range [][2]int{{768, 2304}, {768, 3072}, {3072, 768}, {768, 50257}} {
			for _, layout := range []string{"in_out", "out_in", "w_dyT"} {
				k, n := kn[0], kn[1]
				x := tensors.FromShape(shapes.Make(dtypes.Float32, rows, k))
				w := tensors.FromShape(shapes.Make(dtypes.Float32, k, n))
				switch layout {
				case "out_in":
					w = tensors.FromShape(shapes.Make(dtypes.Float32, n, k))
				case "w_dyT": // dx [rows, k] = dy [rows, n] · Wᵀ with W [k, n]
					x = tensors.FromShape(shapes.Make(dtypes.Float32, rows, n))
				}
				exec, err := NewExec(backend, products[layout])
				if err != nil {
					b.Fatal(err)
				}
				b.Run(fmt.Sprintf("rows%d_%dx%d_%s", rows, k, n, layout), func(b *testing.B) {
					if _, err := exec.Exec(x, w); err != nil {
						b.Fatal(err)
					}
					b.ResetTimer()
					for range b.N {
						out, err := exec.Exec(x, w)
						if err != nil {
							b.Fatal(err)
						}
						out[0].FinalizeAll()
					}
					b.ReportMetric(float64(2*rows*k*n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}
