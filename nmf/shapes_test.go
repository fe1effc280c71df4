package nmf

import (
	"fmt"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestDegenerateShapes runs every init and solver on single-row and
// single-column matrices, which are rank 1, so k=1 must fit them.
func TestDegenerateShapes(t *testing.T) {
	shapes := []*mat.Dense{
		mat.NewDense(1, 1, []float64{2}),
		mat.NewDense(1, 5, []float64{1, 0, 3, 2, 0.5}),
		mat.NewDense(5, 1, []float64{1, 0, 3, 2, 0.5}),
	}
	inits := []Init{InitRandom, InitNNDSVD, InitNNDSVDA, InitNNDSVDAR}
	for _, x := range shapes {
		r, c := x.Dims()
		norm := mat.Norm(x, 2)
		for _, init := range inits {
			for _, solver := range []Solver{CoordinateDescent, MultiplicativeUpdate} {
				for _, f64 := range []bool{false, true} {
					name := fmt.Sprintf("%d×%d %s %s float64=%v", r, c, init, solver, f64)
					res, err := Factorize(x, &Settings{Components: 1, Init: init, Solver: solver, Float64: f64, MaxIter: 2000})
					if err != nil {
						t.Errorf("%s: %v", name, err)
						continue
					}
					if res.ReconstructionErr > 1e-3*norm {
						t.Errorf("%s: reconstruction error %g for a rank-1 X (norm %g)", name, res.ReconstructionErr, norm)
					}
				}
			}
		}
	}
}
