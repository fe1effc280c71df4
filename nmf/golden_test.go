package nmf

import (
	"fmt"
	"math"
	"testing"

	"github.com/ecco-go/ecco/internal/refdata"

	"gonum.org/v1/gonum/mat"
)

// The golden files hold Ecco's run_nmf(n_components=4) on the tiny-a model:
// scikit-learn 1.2.1 on float32 X, with its random start and result.
type goldenCase struct {
	name string
	x    *mat.Dense
	want refdata.NMF
}

// loadGolden builds X exactly as Ecco does: activations [L][N][P] become
// max(·, 0) of shape (P, L·N) with column layer·N + neuron.
func loadGolden(t *testing.T, prompt int) goldenCase {
	t.Helper()
	a := refdata.Activations(t, "tiny-a", prompt)
	file := refdata.Load(t, "tiny-a", prompt)
	layers, neurons, positions := len(a), len(a[0]), len(a[0][0])
	x := mat.NewDense(positions, layers*neurons, nil)
	for l := range layers {
		for n := range neurons {
			for pos := range positions {
				x.Set(pos, l*neurons+n, math.Max(a[l][n][pos], 0))
			}
		}
	}
	if r, c := x.Dims(); r != file.NMF.InputShape[0] || c != file.NMF.InputShape[1] {
		t.Fatalf("prompt %d: X is %d×%d, golden input_shape %v", prompt, r, c, file.NMF.InputShape)
	}
	return goldenCase{name: fmt.Sprintf("prompt%d", prompt), x: x, want: file.NMF}
}

// TestGoldenRandomInit checks the RandomState port and numpy's mean give
// scikit-learn's float32 start bit for bit.
func TestGoldenRandomInit(t *testing.T) {
	for prompt := 1; prompt <= 3; prompt++ {
		g := loadGolden(t, prompt)
		x, p, f, err := readMatrix[float32]("X", g.x)
		if err != nil {
			t.Fatal(err)
		}
		pr := newProblem(x, p, f, 4)
		pr.randomInit(0)
		bad := 0
		for i, row := range g.want.InitW {
			for tt, v := range row {
				if got := pr.wt[tt*p+i]; got != float32(v) {
					bad++
					if bad <= 3 {
						t.Errorf("%s: init W[%d][%d] = %.9g, want %.9g", g.name, i, tt, got, v)
					}
				}
			}
		}
		for tt, row := range g.want.InitH {
			for j, v := range row {
				if got := pr.h[tt*f+j]; got != float32(v) {
					bad++
					if bad <= 6 {
						t.Errorf("%s: init H[%d][%d] = %.9g, want %.9g", g.name, tt, j, got, v)
					}
				}
			}
		}
		if bad > 0 {
			t.Errorf("%s: %d init values differ", g.name, bad)
		}
	}
}

// checkGoldenResult compares a factorisation with the golden one: factors
// and H to 1e-3 of their largest value, the error to 1e-4, n_iter exactly.
func checkGoldenResult(t *testing.T, g goldenCase, res *Result) {
	t.Helper()
	compareRelative(t, g.name+" factors (Wᵀ)", res.Factors(), denseOf(g.want.Factors), 1e-3)
	compareRelative(t, g.name+" H", res.H, denseOf(g.want.H), 1e-3)
	compareScalar(t, g.name+" reconstruction error", res.ReconstructionErr, g.want.ReconstructionErr, 1e-4)
	if res.Iterations != g.want.NIter {
		t.Errorf("%s: %d iterations, scikit-learn ran %d", g.name, res.Iterations, g.want.NIter)
	}
	if !res.Converged {
		t.Errorf("%s: not converged", g.name)
	}
}

func TestGoldenFromGoldenInit(t *testing.T) {
	for prompt := 1; prompt <= 3; prompt++ {
		g := loadGolden(t, prompt)
		res, err := Factorize(g.x, &Settings{
			Components: 4, Init: InitCustom,
			InitW: denseOf(g.want.InitW), InitH: denseOf(g.want.InitH),
		})
		if err != nil {
			t.Fatal(err)
		}
		checkGoldenResult(t, g, res)
	}
}

// TestGoldenDefault runs Ecco's configuration end to end: only k differs
// from the defaults.
func TestGoldenDefault(t *testing.T) {
	for prompt := 1; prompt <= 3; prompt++ {
		g := loadGolden(t, prompt)
		res, err := Factorize(g.x, &Settings{Components: 4})
		if err != nil {
			t.Fatal(err)
		}
		checkGoldenResult(t, g, res)
	}
}
