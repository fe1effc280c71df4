package nmf

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Init names how the factors W and H are started. The names are
// scikit-learn's.
type Init string

const (
	// InitRandom draws |N(0,1)| * sqrt(mean(X)/k) from numpy's
	// RandomState(Seed), H first and then W, like scikit-learn's
	// init='random'. It is the default and Ecco's choice.
	InitRandom Init = "random"
	// InitNNDSVD is nonnegative double SVD (Boutsidis & Gallopoulos 2008):
	// sparse starts, zeros left in place.
	InitNNDSVD Init = "nndsvd"
	// InitNNDSVDA is NNDSVD with its zeros replaced by mean(X).
	InitNNDSVDA Init = "nndsvda"
	// InitNNDSVDAR is NNDSVD with its zeros replaced by small random
	// values |N(0,1)| * mean(X) / 100 drawn from RandomState(Seed).
	InitNNDSVDAR Init = "nndsvdar"
	// InitCustom starts from Settings.InitW and Settings.InitH.
	InitCustom Init = "custom"
)

// Solver names the minimisation algorithm. The names are scikit-learn's.
type Solver string

const (
	// CoordinateDescent is scikit-learn's "cd" solver without shuffling:
	// cyclic coordinate descent over the components of W, then of H. It
	// is the default and Ecco's choice.
	CoordinateDescent Solver = "cd"
	// MultiplicativeUpdate is scikit-learn's "mu" solver for the Frobenius
	// loss (Lee & Seung). It cannot move entries that start at zero.
	MultiplicativeUpdate Solver = "mu"
)

// Defaults used for zero-valued Settings fields.
const (
	DefaultComponents = 10   // Ecco's run_nmf default
	DefaultMaxIter    = 500  // Ecco passes max_iter=500 (scikit-learn's own default is 200)
	DefaultTol        = 1e-4 // scikit-learn's default
)

// Settings configures Factorize. A nil *Settings, and every zero-valued
// field, means the default, which is what Ecco asks scikit-learn for:
// NMF(n_components=10, init='random', random_state=0, max_iter=500) on
// float32 data.
type Settings struct {
	// Components is the number of factors k, at least 1.
	// Zero means DefaultComponents, except with InitCustom, where zero
	// means the number of rows of InitH.
	Components int

	// Init chooses the starting point. Empty means InitRandom.
	// The NNDSVD variants need Components <= min(rows, columns) of X.
	Init Init

	// InitW (rows(X) × k) and InitH (k × columns(X)) are the starting
	// factors for InitCustom. Both must be non-negative, finite and not all
	// zero; they are rounded to float32 unless Float64 is set. They are
	// ignored by the other inits.
	InitW, InitH mat.Matrix

	// Solver chooses the algorithm. Empty means CoordinateDescent.
	Solver Solver

	// MaxIter bounds the number of iterations (one iteration updates W
	// and then H). Zero means DefaultMaxIter; negative is an error.
	MaxIter int

	// Tol is the stopping tolerance. Zero means DefaultTol; a negative
	// value turns early stopping off, so MaxIter iterations run.
	// CoordinateDescent stops after the first iteration whose sum of
	// absolute projected gradients is at most Tol times the first
	// iteration's. MultiplicativeUpdate checks every 10 iterations and stops
	// when the Frobenius error fell by less than Tol times the initial
	// error since the previous check.
	Tol float64

	// Seed seeds numpy's RandomState for InitRandom and InitNNDSVDAR
	// (scikit-learn's random_state). Ecco uses 0.
	Seed uint32

	// Float64 makes every step compute in float64. By default X, W and H
	// are float32 and each operation is rounded to float32, as
	// scikit-learn does for the float32 activations Ecco hands it; that
	// is what makes the results match Ecco's. The products X·Hᵀ, Wᵀ·X
	// and the Gram matrices sum in a different order than OpenBLAS, so
	// factors agree with scikit-learn to float32 rounding noise, not bitwise.
	Float64 bool

	// Progress, when set, is called after every iteration with the
	// iterations done and the maximum; the stopping rule may end the run
	// before the maximum. It runs on the caller's goroutine.
	Progress func(iteration, maxIter int)
}

// config is Settings with defaults applied and values checked.
type config struct {
	k        int
	init     Init
	solver   Solver
	maxIter  int
	tol      float64
	seed     uint32
	float64  bool
	initW    mat.Matrix
	initH    mat.Matrix
	progress func(iteration, maxIter int)
}

// resolve applies defaults and validates everything that does not depend
// on X.
func (s *Settings) resolve() (config, error) {
	c := config{k: DefaultComponents, init: InitRandom, solver: CoordinateDescent,
		maxIter: DefaultMaxIter, tol: DefaultTol}
	if s == nil {
		return c, nil
	}
	if s.Init != "" {
		c.init = s.Init
	}
	switch c.init {
	case InitRandom, InitNNDSVD, InitNNDSVDA, InitNNDSVDAR, InitCustom:
	default:
		return c, fmt.Errorf("%w: unknown Init %q (want %q, %q, %q, %q or %q)", ErrSettings,
			s.Init, InitRandom, InitNNDSVD, InitNNDSVDA, InitNNDSVDAR, InitCustom)
	}
	if s.Solver != "" {
		c.solver = s.Solver
	}
	if c.solver != CoordinateDescent && c.solver != MultiplicativeUpdate {
		return c, fmt.Errorf("%w: unknown Solver %q (want %q or %q)", ErrSettings,
			s.Solver, CoordinateDescent, MultiplicativeUpdate)
	}
	switch {
	case s.Components < 0:
		return c, fmt.Errorf("%w: Components = %d, want at least 1 (0 means the default %d)",
			ErrSettings, s.Components, DefaultComponents)
	case s.Components > 0:
		c.k = s.Components
	case c.init == InitCustom && s.InitH != nil:
		if c.k, _ = s.InitH.Dims(); c.k < 1 {
			return c, fmt.Errorf("%w: InitH has no rows, so Components cannot come from it", ErrSettings)
		}
	}
	switch {
	case s.MaxIter < 0:
		return c, fmt.Errorf("%w: MaxIter = %d, want at least 1 (0 means the default %d)",
			ErrSettings, s.MaxIter, DefaultMaxIter)
	case s.MaxIter > 0:
		c.maxIter = s.MaxIter
	}
	switch {
	case math.IsNaN(s.Tol) || math.IsInf(s.Tol, 0):
		return c, fmt.Errorf("%w: Tol = %v, want a finite number (0 means the default %g)",
			ErrSettings, s.Tol, DefaultTol)
	case s.Tol != 0:
		c.tol = s.Tol
	}
	if c.init == InitCustom && (s.InitW == nil || s.InitH == nil) {
		return c, fmt.Errorf("%w: Init %q needs both InitW and InitH", ErrSettings, InitCustom)
	}
	c.seed = s.Seed
	c.float64 = s.Float64
	c.initW, c.initH = s.InitW, s.InitH
	c.progress = s.Progress
	return c, nil
}
