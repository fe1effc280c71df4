package nmf

import (
	"runtime"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestDeterministicAcrossWorkers checks that the result does not depend on
// GOMAXPROCS: X spans several column chunks, and both solvers run.
func TestDeterministicAcrossWorkers(t *testing.T) {
	rs := newRandomState(21)
	x := mat.NewDense(20, 3*chunkCols+100, nil)
	r, c := x.Dims()
	for i := range r {
		for j := range c {
			x.Set(i, j, max(0, rs.standardNormal()))
		}
	}
	for _, solver := range []Solver{CoordinateDescent, MultiplicativeUpdate} {
		s := &Settings{Components: 5, Solver: solver, MaxIter: 30}
		previous := runtime.GOMAXPROCS(1)
		one, err := Factorize(x, s)
		runtime.GOMAXPROCS(4)
		four, err4 := Factorize(x, s)
		runtime.GOMAXPROCS(previous)
		if err != nil || err4 != nil {
			t.Fatal(err, err4)
		}
		if !mat.Equal(one.W, four.W) || !mat.Equal(one.H, four.H) || one.ReconstructionErr != four.ReconstructionErr {
			t.Errorf("%s: results differ between 1 and 4 workers (errors %.17g, %.17g)",
				solver, one.ReconstructionErr, four.ReconstructionErr)
		}
	}
}
