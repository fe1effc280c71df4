package nmf

import (
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestSklearnDistilGPT2Size runs Ecco's defaults for 100 iterations on the
// benchmark's DistilGPT2-sized matrix and compares with scikit-learn
// (testdata/sklearn_large.json). The error tolerance is 1e-5: scikit-learn
// sums the squared residuals in float32, which is off by about 2e-6 at
// this size, while ReconstructionErr sums them in float64.
func TestSklearnDistilGPT2Size(t *testing.T) {
	if testing.Short() {
		t.Skip("factorises a 62×18432 matrix")
	}
	var ref struct {
		K                 int         `json:"k"`
		MaxIter           int         `json:"max_iter"`
		NIter             int         `json:"n_iter"`
		ReconstructionErr float64     `json:"reconstruction_err"`
		W                 [][]float64 `json:"W"`
		HFirst            [][]float64 `json:"H_first_40_columns"`
		HRowSums          []float64   `json:"H_row_sums"`
	}
	readJSON(t, "testdata/sklearn_large.json", &ref)
	res, err := Factorize(benchmarkActivations(), &Settings{Components: ref.K, MaxIter: ref.MaxIter})
	if err != nil {
		t.Fatal(err)
	}
	compareRelative(t, "W", res.W, denseOf(ref.W), 1e-4)
	compareRelative(t, "H[:, :40]", res.H.Slice(0, ref.K, 0, 40), denseOf(ref.HFirst), 1e-4)
	sums := mat.NewDense(ref.K, 1, nil)
	for i := range ref.K {
		sums.Set(i, 0, mat.Sum(res.H.RowView(i)))
	}
	compareRelative(t, "row sums of H", sums, mat.NewDense(ref.K, 1, ref.HRowSums), 1e-4)
	compareScalar(t, "reconstruction error", res.ReconstructionErr, ref.ReconstructionErr, 1e-5)
	if res.Iterations != ref.NIter || res.Converged {
		t.Errorf("%d iterations, converged %v; scikit-learn ran %d without converging", res.Iterations, res.Converged, ref.NIter)
	}
}
