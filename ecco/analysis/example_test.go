package analysis_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/ecco-go/ecco/ecco/analysis"
)

// Two layers of 3 neurons over 8 token positions, the second a linear mix of
// the first: every CCA-based score is 1, while CKA, which is only invariant to
// rotations and scaling, is below 1. Ecco's Python functions print the same.
func Example() {
	layer1 := mat.NewDense(3, 8, []float64{
		0.1, 1.2, 0.3, 2.0, 0.5, 0.0, 1.1, 0.7,
		1.0, 0.2, 0.8, 0.4, 1.5, 0.9, 0.1, 0.6,
		0.3, 0.3, 1.9, 0.2, 0.4, 1.2, 0.8, 0.0,
	})
	mix := mat.NewDense(3, 3, []float64{
		2, 0, 1,
		0, 1, 0,
		1, 1, 1,
	})
	var layer2 mat.Dense
	layer2.Mul(mix, layer1)

	cca, _ := analysis.CCA(layer1, &layer2)
	pwcca, _ := analysis.PWCCA(layer1, &layer2)
	svcca, _ := analysis.SVCCA(layer1, &layer2, 3)
	cka, _ := analysis.CKA(layer1, &layer2)
	fmt.Printf("CCA %.4f  PWCCA %.4f  SVCCA %.4f  CKA %.4f\n", cca, pwcca, svcca, cka)

	_, err := analysis.CCA(mat.NewDense(8, 8, nil), &layer2)
	fmt.Println(err)
	// Output:
	// CCA 1.0000  PWCCA 1.0000  SVCCA 1.0000  CKA 0.6311
	// analysis: shape does not allow this score: CCA needs more positions than neurons but a is 8 neurons × 8 positions; use CKA, or SVCCA with dims < 8
}

// Pairwise fills a layer × layer matrix with any score.
func ExamplePairwise() {
	layers := []mat.Matrix{
		mat.NewDense(2, 5, []float64{1, 2, 3, 4, 5, 2, 1, 0, 1, 2}),
		mat.NewDense(2, 5, []float64{2, 4, 6, 8, 10, 0, 1, 0, 1, 0}),
		mat.NewDense(3, 5, []float64{5, 4, 3, 2, 1, 1, 1, 2, 2, 3, 0, 2, 0, 2, 0}),
	}
	scores, err := analysis.Pairwise(layers, analysis.CKA)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.3f\n", mat.Formatted(scores))
	// Output:
	// ⎡1.000  0.963  0.893⎤
	// ⎢0.963  1.000  0.933⎥
	// ⎣0.893  0.933  1.000⎦
}
