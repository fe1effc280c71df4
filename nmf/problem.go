package nmf

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

	progress func(iteration, maxIter int) // Settings.Progress; nil: none
}

// iterated reports a finished iteration to Settings.Progress.
func (pr *problem[T]) iterated(it, maxIter int) {
	if pr.progress != nil {
		pr.progress(it, maxIter)
	}
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
