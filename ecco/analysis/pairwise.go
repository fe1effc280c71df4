package analysis

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// Pairwise returns the layer × layer matrix whose entry (i, j) is
// score(layers[i], layers[j]), e.g. Pairwise(layers, CKA) or
// Pairwise(layers, SVCCAScore(10)). Every ordered pair is scored, because
// PWCCA is not symmetric. The first failing pair's error is returned, naming
// both layers.
func Pairwise(layers []mat.Matrix, score func(a, b mat.Matrix) (float64, error)) (*mat.Dense, error) {
	if len(layers) == 0 {
		return nil, fmt.Errorf("%w: Pairwise got no layers", ErrEmpty)
	}
	if score == nil {
		return nil, fmt.Errorf("%w: Pairwise got a nil score function", ErrEmpty)
	}
	out := mat.NewDense(len(layers), len(layers), nil)
	for i, a := range layers {
		for j, b := range layers {
			v, err := score(a, b)
			if err != nil {
				return nil, fmt.Errorf("layers %d and %d: %w", i, j, err)
			}
			out.Set(i, j, v)
		}
	}
	return out, nil
}
