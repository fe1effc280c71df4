package nmf

import (
	"testing"

	"gonum.org/v1/gonum/mat"
)

// sklearnCase is one scikit-learn 1.2.1 run written by
// testdata/gen_sklearn.py: X (passed in Fortran order, like Ecco's), the
// start scikit-learn used and what NMF.fit_transform returned.
type sklearnCase struct {
	Name              string      `json:"name"`
	DType             string      `json:"dtype"`
	K                 int         `json:"k"`
	Init              string      `json:"init"`
	Solver            string      `json:"solver"`
	Seed              uint32      `json:"seed"`
	MaxIter           int         `json:"max_iter"`
	Tol               float64     `json:"tol"`
	X                 [][]float64 `json:"X"`
	InitW             [][]float64 `json:"init_W"`
	InitH             [][]float64 `json:"init_H"`
	InitWRandomized   [][]float64 `json:"init_W_randomized_svd"`
	InitHRandomized   [][]float64 `json:"init_H_randomized_svd"`
	W                 [][]float64 `json:"W"`
	H                 [][]float64 `json:"H"`
	ReconstructionErr float64     `json:"reconstruction_err"`
	NIter             int         `json:"n_iter"`
}

func loadSklearnCases(t *testing.T) []sklearnCase {
	var file struct {
		Cases []sklearnCase `json:"cases"`
	}
	readJSON(t, "testdata/sklearn_cases.json", &file)
	if len(file.Cases) == 0 {
		t.Fatal("no cases in testdata/sklearn_cases.json")
	}
	return file.Cases
}

func (c sklearnCase) settings() *Settings {
	s := &Settings{Components: c.K, Init: Init(c.Init), Solver: Solver(c.Solver),
		Seed: c.Seed, MaxIter: c.MaxIter, Tol: c.Tol, Float64: c.DType == "float64"}
	if c.Init == "custom" {
		s.InitW, s.InitH = denseOf(c.InitW), denseOf(c.InitH)
	}
	return s
}

// TestSklearnInits checks every start against scikit-learn's. Random
// starts must match bit for bit. For NNDSVD the reference ran
// scikit-learn's _initialize_nmf with an exact SVD in place of its
// randomized_svd, which must match to rounding; scikit-learn's own start
// agrees to the randomized SVD's accuracy (about 2e-6 here).
func TestSklearnInits(t *testing.T) {
	for _, c := range loadSklearnCases(t) {
		if c.Init == "custom" {
			continue
		}
		s := c.settings()
		cfg, err := s.resolve()
		if err != nil {
			t.Fatal(err)
		}
		var w, h *mat.Dense
		if s.Float64 {
			w, h, err = startOf[float64](denseOf(c.X), cfg)
		} else {
			w, h, err = startOf[float32](denseOf(c.X), cfg)
		}
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		tol := 0.0
		switch {
		case c.Init != "random" && s.Float64:
			tol = 1e-12
		case c.Init != "random":
			tol = 1e-6 // the reference ran NNDSVD's arithmetic in float32
		}
		compareRelative(t, c.Name+" init W", w, denseOf(c.InitW), tol)
		compareRelative(t, c.Name+" init H", h, denseOf(c.InitH), tol)
		if c.InitWRandomized != nil {
			compareRelative(t, c.Name+" init W vs randomized SVD", w, denseOf(c.InitWRandomized), 1e-5)
			compareRelative(t, c.Name+" init H vs randomized SVD", h, denseOf(c.InitHRandomized), 1e-5)
		}
	}
}

// startOf returns the initial W and H that Factorize would start from.
func startOf[T real](x mat.Matrix, c config) (w, h *mat.Dense, err error) {
	data, p, f, err := readMatrix[T]("X", x)
	if err != nil {
		return nil, nil, err
	}
	pr := newProblem(data, p, f, c.k)
	if c.init == InitRandom {
		pr.randomInit(c.seed)
	} else if err = pr.nndsvdInit(c.init, c.seed); err != nil {
		return nil, nil, err
	}
	return transposeToDense(c.k, p, pr.wt), toDense(c.k, f, pr.h), nil
}

// TestSklearnFactorize runs every case end to end. float64 runs differ from
// scikit-learn only in the summation order of the BLAS products; float32
// runs also carry float32 rounding, amplified over hundreds of iterations.
func TestSklearnFactorize(t *testing.T) {
	for _, c := range loadSklearnCases(t) {
		res, err := Factorize(denseOf(c.X), c.settings())
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		tol := 1e-10
		if c.DType == "float32" {
			tol = 1e-4
		}
		compareRelative(t, c.Name+" W", res.W, denseOf(c.W), tol)
		compareRelative(t, c.Name+" H", res.H, denseOf(c.H), tol)
		compareScalar(t, c.Name+" reconstruction error", res.ReconstructionErr, c.ReconstructionErr, tol)
		if res.Iterations != c.NIter {
			t.Errorf("%s: %d iterations, scikit-learn ran %d", c.Name, res.Iterations, c.NIter)
		}
		if res.Converged != (c.NIter < c.MaxIter) {
			t.Errorf("%s: Converged = %v after %d of %d iterations", c.Name, res.Converged, res.Iterations, c.MaxIter)
		}
	}
}

// TestCustomInitInfersComponents: with InitCustom and Components 0, k is
// the number of rows of InitH.
func TestCustomInitInfersComponents(t *testing.T) {
	for _, c := range loadSklearnCases(t) {
		if c.Init != "custom" {
			continue
		}
		s := c.settings()
		s.Components = 0
		res, err := Factorize(denseOf(c.X), s)
		if err != nil {
			t.Fatal(err)
		}
		if _, k := res.W.Dims(); k != c.K {
			t.Errorf("%s: k = %d, want %d from InitH", c.Name, k, c.K)
		}
		compareRelative(t, c.Name+" W", res.W, denseOf(c.W), 1e-10)
	}
}
