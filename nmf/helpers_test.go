package nmf

import (
	"fmt"
	"math"
	"testing"

	"github.com/ecco-go/ecco/internal/refdata"

	"gonum.org/v1/gonum/mat"
)

// readJSON decodes a JSON file; internal/refdata bounds the read and names the file on error.
func readJSON(t testing.TB, path string, v any) {
	t.Helper()
	refdata.ReadJSON(t, path, v)
}

// denseOf builds a matrix from rows.
func denseOf(rows [][]float64) *mat.Dense {
	m := mat.NewDense(len(rows), len(rows[0]), nil)
	for i, r := range rows {
		m.SetRow(i, r)
	}
	return m
}

// compareRelative checks max|got-want| <= tol·max|want| and reports the
// first values and the largest difference otherwise.
func compareRelative(t *testing.T, name string, got, want mat.Matrix, tol float64) {
	t.Helper()
	gr, gc := got.Dims()
	wr, wc := want.Dims()
	if gr != wr || gc != wc {
		t.Errorf("%s: shape %d×%d, want %d×%d", name, gr, gc, wr, wc)
		return
	}
	maxDiff, maxWant, at := 0.0, 0.0, [2]int{}
	for i := range wr {
		for j := range wc {
			d := math.Abs(got.At(i, j) - want.At(i, j))
			if d > maxDiff || math.IsNaN(d) {
				maxDiff, at = d, [2]int{i, j}
			}
			maxWant = math.Max(maxWant, math.Abs(want.At(i, j)))
		}
	}
	rel := maxDiff / maxWant
	if !(rel <= tol) {
		t.Errorf("%s: max |diff| = %.3g at %v (%.3g relative to max %.4g), tolerance %g\n got  %s\n want %s",
			name, maxDiff, at, rel, maxWant, tol, firstValues(got), firstValues(want))
	} else {
		t.Logf("%s: max relative difference %.3g", name, rel)
	}
}

// firstValues formats the first few entries of the first row.
func firstValues(m mat.Matrix) string {
	_, c := m.Dims()
	s := ""
	for j := range min(c, 5) {
		s += fmt.Sprintf("%.9g ", m.At(0, j))
	}
	return s
}

// compareScalar checks |got-want| <= tol·|want|.
func compareScalar(t *testing.T, name string, got, want, tol float64) {
	t.Helper()
	if rel := math.Abs(got-want) / math.Abs(want); !(rel <= tol) {
		t.Errorf("%s = %.12g, want %.12g (relative difference %.3g > %g)", name, got, want, rel, tol)
	}
}
