package nmf

import (
	"fmt"
	"math"
)

// randomInit is scikit-learn's init='random': avg = sqrt(X.mean()/k),
// H = |avg·N(0,1)| drawn first (k×f, row by row), then W = |avg·N(0,1)|
// (p×k, row by row). numpy evaluates avg in float64, then multiplies in
// X's dtype, so for float32 both avg and the normals are rounded first.
func (pr *problem[T]) randomInit(seed uint32) {
	mean := numpyMeanColumnMajor(pr.x, pr.p, pr.f)
	avg := T(math.Sqrt(float64(mean) / float64(pr.k)))
	rs := newRandomState(seed)
	for idx := range pr.h {
		pr.h[idx] = abs(avg * T(rs.standardNormal()))
	}
	for i := range pr.p {
		for t := range pr.k {
			pr.wt[t*pr.p+i] = abs(avg * T(rs.standardNormal()))
		}
	}
}

// abs returns |v|, +0 for ±0.
func abs[T real](v T) T { return max(v, -v) }

// customInit copies Settings.InitW and InitH after checking them like
// scikit-learn's _check_init: right shape, non-negative, not all zero.
func (pr *problem[T]) customInit(c config) error {
	w, rows, cols, err := readMatrix[T]("InitW", c.initW)
	if err != nil {
		return err
	}
	if rows != pr.p || cols != pr.k {
		return fmt.Errorf("%w: InitW is %d×%d, want %d×%d (rows of X × Components)", ErrInput, rows, cols, pr.p, pr.k)
	}
	h, rows, cols, err := readMatrix[T]("InitH", c.initH)
	if err != nil {
		return err
	}
	if rows != pr.k || cols != pr.f {
		return fmt.Errorf("%w: InitH is %d×%d, want %d×%d (Components × columns of X)", ErrInput, rows, cols, pr.k, pr.f)
	}
	if allZero(w) {
		return fmt.Errorf("%w: InitW is all zeros; the solvers cannot leave that point", ErrInput)
	}
	if allZero(h) {
		return fmt.Errorf("%w: InitH is all zeros; the solvers cannot leave that point", ErrInput)
	}
	for i := range pr.p {
		for t := range pr.k {
			pr.wt[t*pr.p+i] = w[i*pr.k+t]
		}
	}
	copy(pr.h, h)
	return nil
}

func allZero[T real](values []T) bool {
	for _, v := range values {
		if v != 0 {
			return false
		}
	}
	return true
}
