package analysis

import (
	"errors"
	"fmt"
	"math"
	"reflect"

	"gonum.org/v1/gonum/mat"
)

// Errors returned by the scores, wrapped with details; test with errors.Is.
var (
	// ErrEmpty reports a nil or zero-sized matrix, or no layers.
	ErrEmpty = errors.New("analysis: empty input")
	// ErrShape reports matrices whose shapes do not allow the score.
	ErrShape = errors.New("analysis: shape does not allow this score")
	// ErrNotFinite reports a NaN or infinite activation.
	ErrNotFinite = errors.New("analysis: activation is not finite")
	// ErrDims reports an SVCCA dims outside its valid range.
	ErrDims = errors.New("analysis: dims out of range")
	// ErrNoVariance reports a matrix whose neurons are all constant over
	// positions, for which no similarity is defined.
	ErrNoVariance = errors.New("analysis: no variance")
	// ErrSettings reports an invalid field of CCASettings.
	ErrSettings = errors.New("analysis: invalid settings")
	// ErrNumerical reports a failed matrix factorisation.
	ErrNumerical = errors.New("analysis: factorisation failed")
)

// densePair validates a and b as (neurons × positions) matrices over the same
// positions and returns float64 copies of them.
func densePair(a, b mat.Matrix) (x, y *mat.Dense, err error) {
	if x, err = denseCopy("a", a); err != nil {
		return nil, nil, err
	}
	if y, err = denseCopy("b", b); err != nil {
		return nil, nil, err
	}
	_, pa := x.Dims()
	_, pb := y.Dims()
	if pa != pb {
		return nil, nil, fmt.Errorf("%w: a has %d positions (columns) but b has %d; "+
			"both must be (neurons × positions) over the same positions", ErrShape, pa, pb)
	}
	if pa < 2 {
		return nil, nil, fmt.Errorf("%w: %d position, need at least 2 to measure variance", ErrShape, pa)
	}
	return x, y, nil
}

// denseCopy copies m after checking it is non-empty and finite.
func denseCopy(name string, m mat.Matrix) (*mat.Dense, error) {
	if isNilMatrix(m) {
		return nil, fmt.Errorf("%w: matrix %s is nil", ErrEmpty, name)
	}
	r, c := m.Dims()
	if r == 0 || c == 0 {
		return nil, fmt.Errorf("%w: matrix %s is %d × %d", ErrEmpty, name, r, c)
	}
	d := mat.DenseCopyOf(m)
	for i := range r {
		for j, v := range d.RawRowView(i) {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%w: %s[%d][%d] (neuron %d, position %d) is %v",
					ErrNotFinite, name, i, j, i, j, v)
			}
		}
	}
	return d, nil
}

// isNilMatrix reports a nil interface or a typed nil pointer, whose Dims
// would panic.
func isNilMatrix(m mat.Matrix) bool {
	if m == nil {
		return true
	}
	v := reflect.ValueOf(m)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// needMorePositions rejects CCA inputs with at least as many neurons as
// positions: their covariance is singular and every correlation is trivially 1.
func needMorePositions(score string, x, y *mat.Dense) error {
	for _, side := range []struct {
		name string
		m    *mat.Dense
	}{{"a", x}, {"b", y}} {
		n, p := side.m.Dims()
		if n >= p {
			return fmt.Errorf("%w: %s needs more positions than neurons but %s is %d neurons × %d positions; "+
				"use CKA, or SVCCA with dims < %d", ErrShape, score, side.name, n, p, p)
		}
	}
	return nil
}
