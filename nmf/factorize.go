package nmf

import "gonum.org/v1/gonum/mat"

// Result is a factorisation X ≈ W·H.
type Result struct {
	// W is rows(X) × k: how much of each component every sample (row of
	// X) uses. Ecco's "factors" / nmf.components are Wᵀ (see Factors).
	W *mat.Dense
	// H is k × columns(X): the components (scikit-learn's components_;
	// for Ecco, each component's loading on every neuron).
	H *mat.Dense
	// ReconstructionErr is ‖X - W·H‖_F, scikit-learn's
	// reconstruction_err_ (the beta divergence for β=2 with
	// square_root=True, i.e. sqrt(2·loss)). The squares are summed in
	// float64; scikit-learn sums them in X's dtype, which for float32 can
	// be off by about 1e-6 relative on large matrices.
	ReconstructionErr float64
	// Iterations is the number of iterations run (scikit-learn's n_iter_).
	Iterations int
	// Converged reports whether the stopping rule was met within MaxIter
	// iterations; scikit-learn warns with ConvergenceWarning when not.
	Converged bool
}

// Factors returns Wᵀ (k × rows(X)), the matrix Ecco calls the NMF
// "components" or factors: one row per factor, one column per token
// position.
func (r *Result) Factors() *mat.Dense {
	return mat.DenseCopyOf(r.W.T())
}

// Factorize computes a non-negative factorisation X ≈ W·H with W of shape
// rows(X) × k and H of shape k × columns(X), minimising ‖X - W·H‖_F like
// scikit-learn's NMF. X must be non-empty, finite and non-negative. A nil
// s means Ecco's defaults (see Settings). Errors wrap ErrSettings or
// ErrInput. Factorize is safe for concurrent use.
func Factorize(X mat.Matrix, s *Settings) (*Result, error) {
	c, err := s.resolve()
	if err != nil {
		return nil, err
	}
	if c.float64 {
		return factorize[float64](X, c)
	}
	return factorize[float32](X, c)
}

func factorize[T real](X mat.Matrix, c config) (*Result, error) {
	x, p, f, err := readMatrix[T]("X", X)
	if err != nil {
		return nil, err
	}
	pr := newProblem(x, p, f, c.k)
	pr.progress = c.progress
	switch c.init {
	case InitRandom:
		pr.randomInit(c.seed)
	case InitCustom:
		err = pr.customInit(c)
	default:
		err = pr.nndsvdInit(c.init, c.seed)
	}
	if err != nil {
		return nil, err
	}

	var res Result
	if c.solver == MultiplicativeUpdate {
		res.Iterations, res.Converged = pr.multiplicativeUpdate(c.maxIter, c.tol)
	} else {
		res.Iterations, res.Converged = pr.coordinateDescent(c.maxIter, c.tol)
	}
	res.ReconstructionErr = pr.frobeniusError()
	res.W = transposeToDense(c.k, p, pr.wt)
	res.H = toDense(c.k, f, pr.h)
	return &res, nil
}
