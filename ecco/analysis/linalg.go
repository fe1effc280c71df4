package analysis

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// pinvCutoff is numpy.linalg.pinv's default rcond: eigenvalues at or below
// this fraction of the largest count as zero.
const pinvCutoff = 1e-15

// centreRows subtracts each row's mean from m in place and returns the means.
func centreRows(m *mat.Dense) []float64 {
	r, _ := m.Dims()
	means := make([]float64, r)
	for i := range r {
		row := m.RawRowView(i)
		var sum float64
		for _, v := range row {
			sum += v
		}
		means[i] = sum / float64(len(row))
		for j := range row {
			row[j] -= means[i]
		}
	}
	return means
}

// maxAbs returns the largest absolute entry of m.
func maxAbs(m *mat.Dense) float64 {
	r, _ := m.Dims()
	var best float64
	for i := range r {
		best = max(best, maxAbsSlice(m.RawRowView(i)))
	}
	return best
}

// maxAbsSym returns the largest absolute entry of s.
func maxAbsSym(s *mat.SymDense) float64 {
	raw := s.RawSymmetric()
	var best float64
	for i := range raw.N {
		// Only the upper triangle is stored.
		best = max(best, maxAbsSlice(raw.Data[i*raw.Stride+i:i*raw.Stride+raw.N]))
	}
	return best
}

func maxAbsSlice(values []float64) float64 {
	var best float64
	for _, v := range values {
		if a := math.Abs(v); a > best {
			best = a
		}
	}
	return best
}

// invSqrtPSD returns s^(-1/2) for a symmetric positive semi-definite s, as
// Google's code does with a pseudo-inverse followed by a matrix square root:
// eigenvalues at or below pinvCutoff times the largest map to 0.
func invSqrtPSD(s *mat.SymDense) (*mat.Dense, error) {
	var eig mat.EigenSym
	if !eig.Factorize(s, true) {
		return nil, fmt.Errorf("%w: eigendecomposition of a %d × %d covariance", ErrNumerical, s.SymmetricDim(), s.SymmetricDim())
	}
	values := eig.Values(nil)
	var vectors mat.Dense
	eig.VectorsTo(&vectors)
	largest := 0.0
	for _, w := range values {
		largest = math.Max(largest, math.Abs(w))
	}
	scaled := mat.DenseCopyOf(&vectors)
	n := len(values)
	for j, w := range values {
		f := 0.0
		if w > pinvCutoff*largest {
			f = 1 / math.Sqrt(w)
		}
		for i := range n {
			scaled.Set(i, j, scaled.At(i, j)*f)
		}
	}
	var out mat.Dense
	out.Mul(scaled, vectors.T())
	return &out, nil
}

// subset returns the rows of m listed in rows and its columns listed in cols.
func subset(m mat.Matrix, rows, cols []int) *mat.Dense {
	out := mat.NewDense(len(rows), len(cols), nil)
	for i, r := range rows {
		for j, c := range cols {
			out.Set(i, j, m.At(r, c))
		}
	}
	return out
}

// keptIndices lists the indices whose flag is true.
func keptIndices(kept []bool) []int {
	var idx []int
	for i, k := range kept {
		if k {
			idx = append(idx, i)
		}
	}
	return idx
}
