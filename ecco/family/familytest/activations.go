package familytest

import (
	"math"
	"testing"
)

// CloseActivations fails when activations [L][N][T] differ from a reference's by more than
// rel × the reference's largest magnitude anywhere (the tolerance every activation golden uses),
// or have another number of layers.
func CloseActivations(t testing.TB, got [][][]float32, want [][][]float64, rel float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("activations of %d layers, want %d", len(got), len(want))
	}
	largest, worst := 0.0, 0.0
	for l := range want {
		for n := range want[l] {
			for p, w := range want[l][n] {
				largest = math.Max(largest, math.Abs(w))
				if d := math.Abs(float64(got[l][n][p]) - w); d > worst || math.IsNaN(d) {
					worst = d
				}
			}
		}
	}
	if worst > rel*largest || math.IsNaN(worst) {
		t.Errorf("activations: max |diff| %g > %g × largest %g", worst, rel, largest)
	}
}
