package main

import (
	"bytes"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/internal/refdata"
)

// The bundled reference model and the original Ecco's outputs on it (tests/testdata/REFERENCE.md).
// tinyDir stays relative: Example_tokenize prints it.
const (
	testData = "../../tests/testdata"
	tinyDir  = testData + "/models/tiny-a"
)

// modelDir is the folder of a bundled reference model ("tiny-a", "tiny-llama-a", ...).
func modelDir(model string) string { return filepath.Join(testData, "models", model) }

// loadGolden reads tiny-a's reference file for a prompt (1..3).
func loadGolden(t testing.TB, prompt int) *refdata.Golden { return refdata.Load(t, "tiny-a", prompt) }

// readJSON decodes a JSON file; internal/refdata bounds the read and names the file on error.
func readJSON(t testing.TB, path string, v any) {
	t.Helper()
	refdata.ReadJSON(t, path, v)
}

// cli runs the command in-process. The portable build's note (TestFastPathNote checks it) is
// taken out of stderr, so that tests read the same on both builds.
func cli(args ...string) (stdout, stderr string, status int) {
	var out, errOut bytes.Buffer
	status = run(args, &out, &errOut)
	return out.String(), strings.Replace(errOut.String(), fastPathNote(), "", 1), status
}

// mustRun runs the command and fails the test unless it succeeds with nothing on stderr.
func mustRun(t testing.TB, args ...string) string {
	t.Helper()
	stdout, stderr, status := cli(args...)
	if status != 0 || stderr != "" {
		t.Fatalf("ecco %s: status %d, stderr %q", strings.Join(args, " "), status, stderr)
	}
	return stdout
}

// checkClose fails when got and want differ by more than tol anywhere, showing the first values
// and the largest difference.
func checkClose(t testing.TB, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	worst, at := 0.0, 0
	for i := range got {
		if d := math.Abs(got[i] - want[i]); d > worst || math.IsNaN(d) {
			worst, at = d, i
		}
	}
	if worst > tol || math.IsNaN(worst) {
		n := min(5, len(got))
		t.Errorf("%s: max |difference| %.3g at %d (tolerance %.3g); first got %v, want %v", what, worst, at, tol, got[:n], want[:n])
	}
}

func float32s(xs []float32) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}
