package refdata

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/ecco-go/ecco/ecco/safetensors"
)

// TestGeneratedWeightsMatchTheReferenceSet compares the generated weights with the harness's own
// files where the project's reference set lies beside the checkout (../shared/ecco-reference,
// as on the project's machines and in CI): every tensor within 1e-6, one float32 ulp at the
// weights' scale. Elsewhere the goldens, which these weights reproduce, are the check.
func TestGeneratedWeightsMatchTheReferenceSet(t *testing.T) {
	ref := filepath.Join(root(), "..", "shared", "ecco-reference", "models")
	if _, err := os.Stat(ref); err != nil {
		t.Skipf("no reference set beside the checkout (%v)", err)
	}
	for _, g := range generated {
		want, err := safetensors.OpenDir(filepath.Join(ref, g.model))
		if err != nil {
			t.Fatal(err)
		}
		got, err := safetensors.OpenDir(filepath.Join(TestData(), "models", g.model))
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Names()) != len(want.Names()) {
			t.Errorf("%s: %d tensors, the reference has %d", g.model, len(got.Names()), len(want.Names()))
		}
		for _, name := range want.Names() {
			w, _, err := want.Float32(name)
			if err != nil {
				t.Fatal(err)
			}
			v, _, err := got.Float32(name)
			if err != nil {
				t.Fatalf("%s: %v", g.model, err)
			}
			worst := 0.0
			for i := range w {
				worst = math.Max(worst, math.Abs(float64(v[i]-w[i])))
			}
			if len(v) != len(w) || worst > 1e-6 {
				t.Errorf("%s %s: %d values, max |diff| %g from the reference's %d", g.model, name, len(v), worst, len(w))
			}
		}
		want.Close()
		got.Close()
	}
}
