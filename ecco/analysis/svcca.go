package analysis

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// SVCCA returns Ecco's svcca score of a and b: each neuron is centred over
// positions, each matrix is reduced to its top dims singular directions
// (the rows of s·Vᵀ), and the canonical correlations of the two reductions
// are averaged (all of them, not only the leading 98%).
//
// dims must be at least 1 and at most min(neurons of a, neurons of b,
// positions-1). Unlike CCA, a and b may have more neurons than positions.
func SVCCA(a, b mat.Matrix, dims int) (float64, error) {
	x, y, err := densePair(a, b)
	if err != nil {
		return 0, err
	}
	na, positions := x.Dims()
	nb, _ := y.Dims()
	if limit := min(na, nb, positions-1); dims < 1 || dims > limit {
		return 0, fmt.Errorf("%w: SVCCA dims %d, want 1 to %d (min of a's %d neurons, b's %d neurons, %d positions - 1)",
			ErrDims, dims, limit, na, nb, positions)
	}
	rx, err := topSingularDirections("a", x, dims)
	if err != nil {
		return 0, err
	}
	ry, err := topSingularDirections("b", y, dims)
	if err != nil {
		return 0, err
	}
	res, err := canonical(rx, ry, defaultCCASettings)
	if err != nil {
		return 0, err
	}
	var sum float64
	for _, c := range res.Coefficients {
		sum += c
	}
	return sum / float64(len(res.Coefficients)), nil
}

// SVCCAScore returns SVCCA with a fixed dims, in the shape Pairwise takes.
func SVCCAScore(dims int) func(a, b mat.Matrix) (float64, error) {
	return func(a, b mat.Matrix) (float64, error) { return SVCCA(a, b, dims) }
}

// topSingularDirections centres m's rows in place and returns the dims ×
// positions matrix diag(s[:dims])·Vᵀ[:dims] of its thin SVD.
func topSingularDirections(name string, m *mat.Dense, dims int) (*mat.Dense, error) {
	centreRows(m)
	if maxAbs(m) == 0 {
		return nil, fmt.Errorf("%w: every neuron of %s is constant over positions", ErrNoVariance, name)
	}
	var svd mat.SVD
	if !svd.Factorize(m, mat.SVDThinV) {
		r, c := m.Dims()
		return nil, fmt.Errorf("%w: SVD of %s (%d × %d)", ErrNumerical, name, r, c)
	}
	values := svd.Values(nil)
	var v mat.Dense
	svd.VTo(&v)
	_, positions := m.Dims()
	out := mat.NewDense(dims, positions, nil)
	for i := range dims {
		for j := range positions {
			out.Set(i, j, values[i]*v.At(j, i))
		}
	}
	return out, nil
}
