package nmf

// Multiplicative updates for the Frobenius loss, as in scikit-learn's
// _fit_multiplicative_update with beta_loss=2:
//
//	W ← W ∘ ((X·Hᵀ) / (W·H·Hᵀ))
//	H ← H ∘ ((Wᵀ·X) / (Wᵀ·W·H))
//
// with a zero denominator replaced by float32's machine epsilon (scikit-learn
// uses that constant for both dtypes). Every 10 iterations the Frobenius
// error is measured; the solver stops when it fell by less than
// tol·(initial error) since the previous measurement.

// float32Eps is np.finfo(np.float32).eps.
const float32Eps = 0x1p-23

// multiplicativeUpdate runs the solver from the current factors and returns
// the number of iterations and whether the stopping rule was met.
func (pr *problem[T]) multiplicativeUpdate(maxIter int, tol float64) (iterations int, converged bool) {
	p, f, k, ws := pr.p, pr.f, pr.k, pr.ws
	errInit := pr.frobeniusError()
	previous := errInit
	denW := make([]T, k*p)
	for it := 1; it <= maxIter; it++ {
		pr.crossWAndGramH(1)
		clear(denW)
		for t := range k {
			for r := range k {
				axpy(ws.gramH[t*k+r], pr.wt[r*p:(r+1)*p], denW[t*p:(t+1)*p])
			}
		}
		scaleByRatio(pr.wt, ws.crossW, denW)

		pr.setGramW()
		forEachChunk(pr.chunkCount(), func(c int) {
			lo, hi := pr.chunk(c)
			pr.crossHChunk(1, lo, hi)
			den := ws.scratchH
			for t := range k {
				clear(den[t*f+lo : t*f+hi])
				for r := range k {
					axpy(ws.gramW[t*k+r], pr.h[r*f+lo:r*f+hi], den[t*f+lo:t*f+hi])
				}
			}
			for t := range k {
				scaleByRatio(pr.h[t*f+lo:t*f+hi], ws.crossH[t*f+lo:t*f+hi], den[t*f+lo:t*f+hi])
			}
		})
		pr.iterated(it, maxIter)

		if tol > 0 && it%10 == 0 {
			e := pr.frobeniusError()
			if (previous-e)/errInit < tol {
				return it, true
			}
			previous = e
		}
	}
	return maxIter, false
}

// scaleByRatio sets a[i] *= num[i]/den[i], numpy's `num /= den; a *= num`.
func scaleByRatio[T real](a, num, den []T) {
	for i, d := range den {
		if d == 0 {
			d = float32Eps
		}
		a[i] *= num[i] / d
	}
}
