package analysis

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// CKA returns Ecco's cka score of a and b: linear centred kernel alignment
// over positions (Google's feature_space_linear_cka on aᵀ and bᵀ, biased
// estimator). With each neuron centred over positions,
//
//	CKA = ‖a bᵀ‖²_F / (‖a aᵀ‖_F ‖b bᵀ‖_F).
//
// Any numbers of neurons are allowed; a and b must share positions.
func CKA(a, b mat.Matrix) (float64, error) {
	x, y, err := densePair(a, b)
	if err != nil {
		return 0, err
	}
	centreRows(x)
	centreRows(y)
	if maxAbs(x) == 0 {
		return 0, fmt.Errorf("%w: every neuron of a is constant over positions, CKA is undefined", ErrNoVariance)
	}
	if maxAbs(y) == 0 {
		return 0, fmt.Errorf("%w: every neuron of b is constant over positions, CKA is undefined", ErrNoVariance)
	}
	na, positions := x.Dims()
	nb, _ := y.Dims()
	// Both forms are equal; the position × position Gram matrices are
	// smaller whenever there are more neurons than positions.
	if positions < max(na, nb) {
		return gramCKA(x, y), nil
	}
	return featureCKA(x, y), nil
}

// gramCKA computes CKA from the Gram matrices xᵀx and yᵀy:
// ‖x yᵀ‖²_F = ⟨xᵀx, yᵀy⟩_F and ‖x xᵀ‖_F = ‖xᵀx‖_F.
func gramCKA(x, y *mat.Dense) float64 {
	var gx, gy mat.SymDense
	gx.SymOuterK(1, x.T())
	gy.SymOuterK(1, y.T())
	return frobeniusInner(&gx, &gy) / math.Sqrt(frobeniusInner(&gx, &gx)*frobeniusInner(&gy, &gy))
}

// featureCKA computes CKA from the neuron × neuron products, as Google does.
func featureCKA(x, y *mat.Dense) float64 {
	var xy mat.Dense
	xy.Mul(x, y.T())
	var xx, yy mat.SymDense
	xx.SymOuterK(1, x)
	yy.SymOuterK(1, y)
	cross := mat.Norm(&xy, 2)
	return cross * cross / (mat.Norm(&xx, 2) * mat.Norm(&yy, 2))
}

// frobeniusInner returns the sum of the elementwise product of two
// symmetric matrices of the same size.
func frobeniusInner(a, b *mat.SymDense) float64 {
	n := a.SymmetricDim()
	var sum float64
	for i := range n {
		sum += a.At(i, i) * b.At(i, i)
		for j := i + 1; j < n; j++ {
			sum += 2 * a.At(i, j) * b.At(i, j)
		}
	}
	return sum
}
