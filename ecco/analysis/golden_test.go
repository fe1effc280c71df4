package analysis

import (
	"fmt"
	"math"
	"testing"

	"github.com/ecco-go/ecco/internal/refdata"

	"gonum.org/v1/gonum/mat"
)

// eccoScores is one prompt's entry of analysis.json.
type eccoScores struct {
	Inputs  string  `json:"inputs"`
	CCA     float64 `json:"cca"`
	SVCCA10 float64 `json:"svcca_dims10"`
	PWCCA   float64 `json:"pwcca"`
	CKA     float64 `json:"cka"`
	CKASame float64 `json:"cka_same"`
}

// readJSON decodes a golden file (internal/refdata bounds the read and names the file).
func readJSON(t testing.TB, name string, v any) {
	t.Helper()
	refdata.File(t, name, v)
}

// goldenLayers returns every layer of prompt's activations as a (neurons ×
// positions) matrix.
func goldenLayers(t testing.TB, prompt int) []*mat.Dense {
	t.Helper()
	var file struct {
		Activations [][][]float64 `json:"activations"`
	}
	readJSON(t, fmt.Sprintf("prompt%d.activations.json", prompt), &file)
	if len(file.Activations) == 0 {
		t.Fatalf("prompt%d.activations.json has no activations", prompt)
	}
	layers := make([]*mat.Dense, len(file.Activations))
	for l, neurons := range file.Activations {
		positions := len(neurons[0])
		m := mat.NewDense(len(neurons), positions, nil)
		for n, row := range neurons {
			if len(row) != positions {
				t.Fatalf("prompt %d layer %d neuron %d has %d positions, want %d", prompt, l, n, len(row), positions)
			}
			m.SetRow(n, row)
		}
		layers[l] = m
	}
	return layers
}

// pwccaTolerance is the golden tolerance for PWCCA per prompt. Prompt 2 has
// nine canonical correlations within 1e-6 of 1 whose directions are
// ill-determined, and PWCCA's weights are not invariant to rotations among
// them: Ecco's own code (numpy 1.24.2) moves by up to 3.1e-5 when its inputs
// get 1e-15 relative noise (50 trials), against 5.5e-7 for prompt 1. On
// well-conditioned inputs TestReferenceScores holds PWCCA to 1e-10.
var pwccaTolerance = map[int]float64{1: 1e-6, 2: 5e-5}

func TestGoldenScores(t *testing.T) {
	var golden map[string]eccoScores
	readJSON(t, "analysis.json", &golden)
	for _, prompt := range []int{1, 2} {
		want, ok := golden[fmt.Sprintf("prompt%d", prompt)]
		if !ok {
			t.Fatalf("analysis.json has no prompt%d", prompt)
		}
		layers := goldenLayers(t, prompt)
		first, last := layers[0], layers[len(layers)-1]
		_, positions := first.Dims()
		acts1 := first.Slice(0, 20, 0, positions)
		acts2 := last.Slice(0, 20, 0, positions)

		check := func(name string, got, want, tol float64, err error) {
			t.Helper()
			if err != nil {
				t.Errorf("prompt %d %s: %v", prompt, name, err)
				return
			}
			if diff := math.Abs(got - want); !(diff <= tol) {
				t.Errorf("prompt %d %s = %.15g, Ecco %.15g, difference %.3g > %g", prompt, name, got, want, diff, tol)
			}
		}
		got, err := CCA(acts1, acts2)
		check("cca", got, want.CCA, 1e-6, err)
		got, err = SVCCA(acts1, acts2, 10)
		check("svcca_dims10", got, want.SVCCA10, 1e-6, err)
		got, err = PWCCA(acts1, acts2)
		check("pwcca", got, want.PWCCA, pwccaTolerance[prompt], err)
		got, err = CKA(first, last)
		check("cka", got, want.CKA, 1e-6, err)
		got, err = CKA(first, first)
		check("cka_same", got, want.CKASame, 1e-12, err)
	}
}
