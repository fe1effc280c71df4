package nmf

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// nndsvdInit is scikit-learn's NNDSVD family (Boutsidis & Gallopoulos 2008).
// scikit-learn takes the leading singular triplets from randomized_svd; an
// exact SVD is used here, so starts agree with scikit-learn's to the
// accuracy of its randomized SVD, not bitwise. Signs follow svd_flip: the
// largest-magnitude entry of each left singular vector is positive.
func (pr *problem[T]) nndsvdInit(init Init, seed uint32) error {
	p, f, k := pr.p, pr.f, pr.k
	if k > min(p, f) {
		return fmt.Errorf("%w: Init %q needs Components <= min(rows, columns) of X = %d, got %d",
			ErrSettings, init, min(p, f), k)
	}
	var svd mat.SVD
	if !svd.Factorize(toDense(p, f, pr.x), mat.SVDThin) {
		return fmt.Errorf("%w: the SVD of X for Init %q did not converge", ErrInput, init)
	}
	var u, v mat.Dense
	svd.UTo(&u)
	svd.VTo(&v)
	sigma := svd.Values(nil)

	w := make([]float64, k*p) // component-major, like pr.wt
	h := make([]float64, k*f)
	for j := range k {
		x := mat.Col(nil, j, &u)
		y := mat.Col(nil, j, &v)
		flipSign(x, y)
		if j == 0 {
			// The leading singular vectors of a non-negative matrix are
			// non-negative up to sign.
			s := math.Sqrt(sigma[0])
			for i, xi := range x {
				w[i] = s * math.Abs(xi)
			}
			for i, yi := range y {
				h[i] = s * math.Abs(yi)
			}
			continue
		}
		xp, xn := splitSigns(x)
		yp, yn := splitSigns(y)
		xpNorm, ypNorm := mat.Norm(mat.NewVecDense(p, xp), 2), mat.Norm(mat.NewVecDense(f, yp), 2)
		xnNorm, ynNorm := mat.Norm(mat.NewVecDense(p, xn), 2), mat.Norm(mat.NewVecDense(f, yn), 2)
		mp, mn := xpNorm*ypNorm, xnNorm*ynNorm
		uj, vj, un, vn, s := xp, yp, xpNorm, ypNorm, mp
		if !(mp > mn) {
			uj, vj, un, vn, s = xn, yn, xnNorm, ynNorm, mn
		}
		lambda := math.Sqrt(sigma[j] * s)
		scaleInto(w[j*p:(j+1)*p], uj, lambda, un)
		scaleInto(h[j*f:(j+1)*f], vj, lambda, vn)
	}

	const eps = 1e-6 // scikit-learn's truncation threshold
	for idx, val := range w {
		if pr.wt[idx] = T(val); pr.wt[idx] < T(eps) {
			pr.wt[idx] = 0
		}
	}
	for idx, val := range h {
		if pr.h[idx] = T(val); pr.h[idx] < T(eps) {
			pr.h[idx] = 0
		}
	}

	switch init {
	case InitNNDSVDA:
		mean := numpyMeanColumnMajor(pr.x, p, f)
		pr.fillZeros(func() T { return mean })
	case InitNNDSVDAR:
		mean := float64(numpyMeanColumnMajor(pr.x, p, f))
		rs := newRandomState(seed)
		pr.fillZeros(func() T { return T(math.Abs(mean * rs.standardNormal() / 100)) })
	}
	return nil
}

// fillZeros replaces the zeros of W (row by row of W), then those of H
// (row by row), with next(): the order in which scikit-learn draws them.
func (pr *problem[T]) fillZeros(next func() T) {
	for i := range pr.p {
		for t := range pr.k {
			if pr.wt[t*pr.p+i] == 0 {
				pr.wt[t*pr.p+i] = next()
			}
		}
	}
	for idx, v := range pr.h {
		if v == 0 {
			pr.h[idx] = next()
		}
	}
}

// flipSign negates x and y if x's largest-magnitude entry (the first one
// on ties) is negative, like scikit-learn's svd_flip.
func flipSign(x, y []float64) {
	best := 0
	for i, v := range x {
		if math.Abs(v) > math.Abs(x[best]) {
			best = i
		}
	}
	if x[best] >= 0 {
		return
	}
	for i := range x {
		x[i] = -x[i]
	}
	for i := range y {
		y[i] = -y[i]
	}
}

// splitSigns returns max(x, 0) and |min(x, 0)|.
func splitSigns(x []float64) (pos, neg []float64) {
	pos, neg = make([]float64, len(x)), make([]float64, len(x))
	for i, v := range x {
		if v > 0 {
			pos[i] = v
		} else {
			neg[i] = -v
		}
	}
	return pos, neg
}

// scaleInto sets dst = lambda·src/norm; a zero norm (possible only for a
// degenerate X) gives zeros instead of scikit-learn's NaNs.
func scaleInto(dst, src []float64, lambda, norm float64) {
	if norm == 0 {
		clear(dst)
		return
	}
	for i, v := range src {
		dst[i] = lambda * (v / norm)
	}
}
