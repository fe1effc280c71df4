package nmf

import "math"

// Coordinate descent as in scikit-learn's _fit_coordinate_descent and
// _update_cdnmf_fast: per iteration, one cyclic pass over the components
// of W, then one over the components of H. For component t of factor A
// (W, or Hᵀ by symmetry) and each sample i:
//
//	grad = -C[i,t] + Σ_r G[t,r]·A[i,r]   (C = X·Hᵀ, G = H·Hᵀ; summed in r order)
//	pg   = min(grad, 0) if A[i,t] == 0 else grad
//	A[i,t] = max(A[i,t] - grad/G[t,t], 0)   unless G[t,t] == 0
//
// and the iteration's violation is Σ|pg| over both passes, each pass summed
// sequentially in T. The solver stops once violation ≤ tol·(first
// iteration's violation), or at once if that first violation is 0.

// cdSweep runs the pass over columns [lo,hi) of a (k×n, component-major).
// negCross holds -C in the same layout and is overwritten with the
// gradients; absPG receives |pg|. Columns are independent, so chunks of
// columns can be swept in parallel with the same result.
func cdSweep[T real](a []T, n, k int, gram, negCross, absPG []T, lo, hi int) {
	for t := range k {
		grad := negCross[t*n+lo : t*n+hi]
		for r := range k {
			axpy(gram[t*k+r], a[r*n+lo:r*n+hi], grad)
		}
		updateRow(a[t*n+lo:t*n+hi], grad, absPG[t*n+lo:t*n+hi], gram[t*k+t])
	}
}

// updateRow applies one coordinate step to every entry of a component row:
// |pg| goes to absPG and, unless hess is 0, row[j] becomes
// max(row[j] - grad[j]/hess, 0). The loops below have no data-dependent
// branches (gradient signs are random, so branches would mispredict half
// the time) and rely on row entries never being -0: inputs are normalised
// to +0 and max(·, 0) never returns -0.
func updateRow[T real](row, grad, absPG []T, hess T) {
	switch r := any(row).(type) {
	case []float32:
		updateRow32(r, any(grad).([]float32), any(absPG).([]float32), float32(hess))
	case []float64:
		updateRow64(r, any(grad).([]float64), any(absPG).([]float64), float64(hess))
	}
}

func updateRow32(row, grad, absPG []float32, hess float32) {
	row, absPG = row[:len(grad)], absPG[:len(grad)]
	for j, g := range grad {
		// |pg| = |g| if row[j] > 0, else max(-g, 0): in both cases
		// max(-g, g masked to +0 when row[j] == 0).
		var mask uint32
		if math.Float32bits(row[j]) != 0 {
			mask = 0xffffffff
		}
		absPG[j] = max(-g, math.Float32frombits(math.Float32bits(g)&mask))
		if hess != 0 {
			row[j] = max(row[j]-g/hess, 0)
		}
	}
}

func updateRow64(row, grad, absPG []float64, hess float64) {
	row, absPG = row[:len(grad)], absPG[:len(grad)]
	for j, g := range grad {
		var mask uint64
		if math.Float64bits(row[j]) != 0 {
			mask = 0xffffffffffffffff
		}
		absPG[j] = max(-g, math.Float64frombits(math.Float64bits(g)&mask))
		if hess != 0 {
			row[j] = max(row[j]-g/hess, 0)
		}
	}
}

// sequentialSum adds values left to right in T, like the Cython loop's
// `violation += fabs(pg)`.
func sequentialSum[T real](values []T) T {
	var s T
	for _, v := range values {
		s += v
	}
	return s
}

// coordinateDescent runs the solver from the current factors and returns
// the number of iterations and whether the stopping rule was met.
func (pr *problem[T]) coordinateDescent(maxIter int, tol float64) (iterations int, converged bool) {
	p, k, ws := pr.p, pr.k, pr.ws
	var violationInit float64
	pr.crossWAndGramH(-1)
	for it := 1; it <= maxIter; it++ {
		cdSweep(pr.wt, p, k, ws.gramH, ws.crossW, ws.absPGW, 0, p)
		violation := float64(sequentialSum(ws.absPGW))

		pr.setGramW()
		forEachChunk(pr.chunkCount(), func(c int) {
			lo, hi := pr.chunk(c)
			pr.crossHChunk(-1, lo, hi)
			cdSweep(pr.h, pr.f, k, ws.gramW, ws.crossH, ws.absPGH, lo, hi)
		})

		// The H sweep's violation is one long sequential sum; it runs
		// while the next iteration's products (which only read X and H)
		// are computed, and those are simply unused after the last one.
		sumH := make(chan T, 1)
		go func() { sumH <- sequentialSum(ws.absPGH) }()
		if it < maxIter {
			pr.crossWAndGramH(-1)
		}
		violation += float64(<-sumH)
		pr.iterated(it, maxIter)

		if it == 1 {
			violationInit = violation
		}
		if violationInit == 0 || violation/violationInit <= tol {
			return it, true
		}
	}
	return maxIter, false
}
