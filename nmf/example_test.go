package nmf_test

import (
	"fmt"
	"log"

	"github.com/ecco-go/ecco/nmf"
	"gonum.org/v1/gonum/mat"
)

// Three token positions over four neurons; the third position fires both
// patterns of the first two, so two factors explain X exactly.
func ExampleFactorize() {
	x := mat.NewDense(3, 4, []float64{
		1, 0, 2, 0,
		0, 3, 0, 1,
		1, 3, 2, 1,
	})
	res, err := nmf.Factorize(x, &nmf.Settings{Components: 2})
	if err != nil {
		log.Fatal(err)
	}
	var wh mat.Dense
	wh.Mul(res.W, res.H)
	fmt.Printf("converged: %v, reconstruction error < 1e-3: %v\n", res.Converged, res.ReconstructionErr < 1e-3)
	fmt.Printf("W·H =\n%.2f\n", mat.Formatted(&wh))
	// Output:
	// converged: true, reconstruction error < 1e-3: true
	// W·H =
	// ⎡1.00  0.00  2.00  0.00⎤
	// ⎢0.00  3.00  0.00  1.00⎥
	// ⎣1.00  3.00  2.00  1.00⎦
}

// Ecco shows the factors as one row per factor and one column per token
// position: Result.Factors, which is Wᵀ.
func ExampleResult_Factors() {
	x := mat.NewDense(3, 4, []float64{
		1, 0, 2, 0,
		0, 3, 0, 1,
		1, 3, 2, 1,
	})
	res, err := nmf.Factorize(x, &nmf.Settings{Components: 2})
	if err != nil {
		log.Fatal(err)
	}
	f := res.Factors()
	r, c := f.Dims()
	fmt.Printf("%d factors × %d positions\n", r, c)
	fmt.Printf("%.2f\n", mat.Formatted(f))
	// Output:
	// 2 factors × 3 positions
	// ⎡0.71  0.00  0.71⎤
	// ⎣0.00  1.08  1.08⎦
}

// Settings mirror scikit-learn's NMF parameters; scikit-learn 1.2.1 gives
// the same error for NMF(2, init='nndsvda', solver='mu', max_iter=200, tol=0).
func ExampleSettings() {
	x := mat.NewDense(3, 4, []float64{
		1, 0, 2, 0,
		0, 3, 0, 1,
		1, 3, 2, 1,
	})
	res, err := nmf.Factorize(x, &nmf.Settings{
		Components: 2,
		Init:       nmf.InitNNDSVDA,
		Solver:     nmf.MultiplicativeUpdate,
		MaxIter:    200,
		Tol:        -1, // no early stop: run all 200 iterations
		Float64:    true,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("iterations: %d, converged: %v, error: %.4f\n", res.Iterations, res.Converged, res.ReconstructionErr)
	// Output:
	// iterations: 200, converged: false, error: 0.0186
}
