package nmf

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// chunkCols is how many columns of X one parallel task handles. The chunks
// are fixed, and partial results are combined in chunk order, so the
// output does not depend on the number of workers.
const chunkCols = 1024

// problem holds X and the factors in the layout the solvers use: X
// row-major (p×f), and both factors component-major, so that row t of wt
// is column t of W (p long) and row t of h is row t of H (f long). Every
// update then runs over long contiguous rows.
type problem[T real] struct {
	p, f, k int
	x       []T // p×f
	wt      []T // k×p
	h       []T // k×f
	ws      *workspace[T]
}

// workspace is the scratch memory of one factorisation, allocated once.
type workspace[T real] struct {
	crossW    []T // k×p: -(X·Hᵀ)ᵀ for CD, +(X·Hᵀ)ᵀ for MU
	gramH     []T // k×k: H·Hᵀ
	gramW     []T // k×k: Wᵀ·W
	crossH    []T // k×f: -(Wᵀ·X) for CD, +(Wᵀ·X) for MU
	absPGW    []T // k×p: |projected gradient| of the W sweep
	absPGH    []T // k×f: |projected gradient| of the H sweep
	scratchH  []T // k×f: MU denominators, WH rows for the error
	partCross [][]T
	partGram  [][]T
	partErr   []float64
}

func newProblem[T real](x []T, p, f, k int) *problem[T] {
	pr := &problem[T]{p: p, f: f, k: k, x: x, wt: make([]T, k*p), h: make([]T, k*f)}
	n := pr.chunkCount()
	ws := &workspace[T]{
		crossW: make([]T, k*p), gramH: make([]T, k*k), gramW: make([]T, k*k),
		crossH: make([]T, k*f), absPGW: make([]T, k*p), absPGH: make([]T, k*f),
		scratchH: make([]T, k*f), partCross: make([][]T, n), partGram: make([][]T, n),
		partErr: make([]float64, n),
	}
	for c := range n {
		ws.partCross[c] = make([]T, k*p)
		ws.partGram[c] = make([]T, k*k)
	}
	pr.ws = ws
	return pr
}

func (pr *problem[T]) chunkCount() int { return (pr.f + chunkCols - 1) / chunkCols }

// chunk returns the column range of chunk c.
func (pr *problem[T]) chunk(c int) (lo, hi int) {
	lo = c * chunkCols
	return lo, min(lo+chunkCols, pr.f)
}

// forEachChunk calls fn(c) for every chunk, spread over GOMAXPROCS workers.
func forEachChunk(count int, fn func(c int)) {
	workers := min(runtime.GOMAXPROCS(0), count)
	if workers <= 1 {
		for c := range count {
			fn(c)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				c := int(next.Add(1) - 1)
				if c >= count {
					return
				}
				fn(c)
			}
		}()
	}
	wg.Wait()
}

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
