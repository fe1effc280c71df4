package nmf

import (
	"errors"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// emptyMatrix is a mat.Matrix with no rows, which mat.NewDense cannot make.
type emptyMatrix struct{}

func (emptyMatrix) Dims() (int, int)    { return 0, 3 }
func (emptyMatrix) At(int, int) float64 { panic("no elements") }
func (m emptyMatrix) T() mat.Matrix     { return mat.Transpose{Matrix: m} }

func TestFactorizeErrors(t *testing.T) {
	good := func() *mat.Dense { return mat.NewDense(3, 4, []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}) }
	with := func(i, j int, v float64) *mat.Dense { m := good(); m.Set(i, j, v); return m }
	w32 := mat.NewDense(3, 2, []float64{1, 1, 1, 1, 1, 1})
	h32 := mat.NewDense(2, 4, []float64{1, 1, 1, 1, 1, 1, 1, 1})
	custom := func(w, h mat.Matrix) *Settings {
		return &Settings{Components: 2, Init: InitCustom, InitW: w, InitH: h}
	}
	cases := []struct {
		name    string
		x       mat.Matrix
		s       *Settings
		kind    error
		mention string // a part of the message that names the culprit
	}{
		{"negative k", good(), &Settings{Components: -1}, ErrSettings, "Components = -1"},
		{"negative MaxIter", good(), &Settings{MaxIter: -5}, ErrSettings, "MaxIter = -5"},
		{"NaN Tol", good(), &Settings{Tol: math.NaN()}, ErrSettings, "Tol = NaN"},
		{"infinite Tol", good(), &Settings{Tol: math.Inf(1)}, ErrSettings, "Tol = +Inf"},
		{"unknown init", good(), &Settings{Init: "svd"}, ErrSettings, `unknown Init "svd"`},
		{"unknown solver", good(), &Settings{Solver: "als"}, ErrSettings, `unknown Solver "als"`},
		{"custom without H", good(), custom(w32, nil), ErrSettings, "needs both InitW and InitH"},
		{"nndsvd k too large", good(), &Settings{Components: 4, Init: InitNNDSVD}, ErrSettings, "Components <= min"},
		{"nil X", nil, nil, ErrInput, "X is nil"},
		{"nil *Dense X", (*mat.Dense)(nil), nil, ErrInput, "X is empty"},
		{"empty Dense X", &mat.Dense{}, nil, ErrInput, "X is empty"},
		{"X without rows", emptyMatrix{}, nil, ErrInput, "X is 0×3"},
		{"negative X", with(1, 2, -0.5), nil, ErrInput, "X[1][2] = -0.5 is negative"},
		{"NaN in X", with(2, 0, math.NaN()), nil, ErrInput, "X[2][0] is NaN"},
		{"Inf in X", with(0, 3, math.Inf(1)), nil, ErrInput, "X[0][3] is +Inf"},
		{"X too large for float32", with(0, 0, 1e39), nil, ErrInput, "overflows float32"},
		{"InitW wrong shape", good(), custom(mat.NewDense(2, 2, nil), h32), ErrInput, "InitW is 2×2, want 3×2"},
		{"InitH wrong shape", good(), custom(w32, mat.NewDense(2, 3, []float64{1, 1, 1, 1, 1, 1})), ErrInput, "InitH is 2×3, want 2×4"},
		{"negative InitW", good(), custom(mat.NewDense(3, 2, []float64{1, 1, 1, -1, 1, 1}), h32), ErrInput, "InitW[1][1] = -1 is negative"},
		{"NaN in InitH", good(), custom(w32, mat.NewDense(2, 4, []float64{1, 1, 1, 1, 1, 1, 1, math.NaN()})), ErrInput, "InitH[1][3] is NaN"},
		{"all-zero InitW", good(), custom(mat.NewDense(3, 2, nil), h32), ErrInput, "InitW is all zeros"},
	}
	for _, c := range cases {
		res, err := Factorize(c.x, c.s)
		if err == nil {
			t.Errorf("%s: no error, result %v", c.name, res)
			continue
		}
		if !errors.Is(err, c.kind) || !strings.Contains(err.Error(), c.mention) {
			t.Errorf("%s: error %q, want %v mentioning %q", c.name, err, c.kind, c.mention)
		}
		if res != nil {
			t.Errorf("%s: a result came with the error", c.name)
		}
	}
}

// TestFloat64AcceptsLargeValues checks the float32 overflow guard is the
// only difference: the same X factorises in float64.
func TestFloat64AcceptsLargeValues(t *testing.T) {
	x := mat.NewDense(2, 2, []float64{1e39, 0, 0, 2e39})
	res, err := Factorize(x, &Settings{Components: 2, Float64: true})
	if err != nil {
		t.Fatal(err)
	}
	if rel := res.ReconstructionErr / 2e39; rel > 1e-6 {
		t.Errorf("relative reconstruction error %g for a rank-2 X with k=2", rel)
	}
}

// TestAllZeroX follows scikit-learn: the random start is all zeros, the
// first violation is 0 and the solver stops at once.
func TestAllZeroX(t *testing.T) {
	res, err := Factorize(mat.NewDense(3, 4, nil), &Settings{Components: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Iterations != 1 || !res.Converged || res.ReconstructionErr != 0 || mat.Sum(res.W) != 0 {
		t.Errorf("got %d iterations, converged %v, error %g, sum(W) %g; want 1, true, 0, 0",
			res.Iterations, res.Converged, res.ReconstructionErr, mat.Sum(res.W))
	}
	if math.Signbit(res.W.At(0, 0)) {
		t.Errorf("W[0][0] is -0, want +0")
	}
}
