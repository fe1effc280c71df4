package nmf

import "math"

// The matrix products of both solvers. Each chunk of columns of X is
// handled by one task; per-chunk partial sums are added in chunk order.

// crossWAndGramH sets ws.crossW to sign·(X·Hᵀ)ᵀ and ws.gramH to H·Hᵀ.
func (pr *problem[T]) crossWAndGramH(sign T) {
	p, f, k, ws := pr.p, pr.f, pr.k, pr.ws
	forEachChunk(pr.chunkCount(), func(c int) {
		lo, hi := pr.chunk(c)
		cross, gram := ws.partCross[c], ws.partGram[c]
		for i := range p {
			xi := pr.x[i*f+lo : i*f+hi]
			for t := range k {
				cross[t*p+i] = dot(xi, pr.h[t*f+lo:t*f+hi])
			}
		}
		for t := range k {
			ht := pr.h[t*f+lo : t*f+hi]
			for r := t; r < k; r++ {
				gram[t*k+r] = dot(ht, pr.h[r*f+lo:r*f+hi])
			}
		}
	})
	for idx := range ws.crossW {
		var s T
		for c := range ws.partCross {
			s += ws.partCross[c][idx]
		}
		ws.crossW[idx] = sign * s
	}
	for t := range k {
		for r := t; r < k; r++ {
			var s T
			for c := range ws.partGram {
				s += ws.partGram[c][t*k+r]
			}
			ws.gramH[t*k+r], ws.gramH[r*k+t] = s, s
		}
	}
}

// setGramW sets ws.gramW to Wᵀ·W.
func (pr *problem[T]) setGramW() {
	p, k, g := pr.p, pr.k, pr.ws.gramW
	for t := range k {
		for r := t; r < k; r++ {
			s := dot(pr.wt[t*p:(t+1)*p], pr.wt[r*p:(r+1)*p])
			g[t*k+r], g[r*k+t] = s, s
		}
	}
}

// crossHChunk sets columns [lo,hi) of ws.crossH to sign·(Wᵀ·X).
func (pr *problem[T]) crossHChunk(sign T, lo, hi int) {
	p, f, k, out := pr.p, pr.f, pr.k, pr.ws.crossH
	for t := range k {
		clear(out[t*f+lo : t*f+hi])
	}
	for i := range p {
		xi := pr.x[i*f+lo : i*f+hi]
		for t := range k {
			axpy(sign*pr.wt[t*p+i], xi, out[t*f+lo:t*f+hi])
		}
	}
}

// frobeniusError returns ‖X - W·H‖_F. W·H and X - W·H are rounded to T
// like numpy; the squares are summed in float64.
func (pr *problem[T]) frobeniusError() float64 {
	p, f, k, ws := pr.p, pr.f, pr.k, pr.ws
	forEachChunk(pr.chunkCount(), func(c int) {
		lo, hi := pr.chunk(c)
		wh := ws.scratchH[lo:hi]
		var acc float64
		for i := range p {
			clear(wh)
			for r := range k {
				axpy(pr.wt[r*p+i], pr.h[r*f+lo:r*f+hi], wh)
			}
			for j, x := range pr.x[i*f+lo : i*f+hi] {
				d := float64(x - wh[j])
				acc += d * d
			}
		}
		ws.partErr[c] = acc
	})
	var total float64
	for _, e := range ws.partErr {
		total += e
	}
	return math.Sqrt(total)
}
