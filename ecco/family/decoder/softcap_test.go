package decoder

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/gobackend"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
)

// Attend with a soft-cap c computes softmax(c·tanh(scale·q·k/c)) over the visible keys, checked
// against a float64 loop on random queries, keys and values (one head, one batch row).
func TestAttendSoftCap(t *testing.T) {
	backend, err := gobackend.New("ops_sequential")
	if err != nil {
		t.Fatal(err)
	}
	const n, dh, scale, c, window = 5, 4, 0.7, 2.0, 3
	rng := rand.New(rand.NewPCG(1, 2))
	random := func() []float64 {
		x := make([]float64, n*dh)
		for i := range x {
			x[i] = 2 * rng.NormFloat64()
		}
		return x
	}
	q, k, v := random(), random(), random()
	for _, capValue := range []float64{0, c} {
		core := Attention{Scale: scale, Window: window, SoftCap: capValue}
		exec := MustNewExec(backend, func(q, k, v *Node) *Node {
			pos := Iota(q.Graph(), shapesOf(n), 0)
			return core.Attend(q, k, v, pos)
		})
		out := exec.MustExec(
			tensors.FromFlatDataAndDimensions(q, 1, 1, n, dh),
			tensors.FromFlatDataAndDimensions(k, 1, 1, n, dh),
			tensors.FromFlatDataAndDimensions(v, 1, 1, n, dh))[0]
		got := tensors.MustCopyFlatData[float64](out)
		for i := range n {
			weights, sum := make([]float64, n), 0.0
			for j := range n {
				if j > i || i-j >= window {
					continue
				}
				s := 0.0
				for d := range dh {
					s += q[i*dh+d] * k[j*dh+d]
				}
				s *= scale
				if capValue > 0 {
					s = capValue * math.Tanh(s/capValue)
				}
				weights[j] = math.Exp(s)
				sum += weights[j]
			}
			for d := range dh {
				want := 0.0
				for j := range n {
					want += weights[j] / sum * v[j*dh+d]
				}
				if math.Abs(got[i*dh+d]-want) > 1e-12 {
					t.Fatalf("cap %g: output [%d, %d] = %g, want %g", capValue, i, d, got[i*dh+d], want)
				}
			}
		}
	}
}

func shapesOf(n int) shapes.Shape { return shapes.Make(dtypes.Int32, n) }
