package refdata

import (
	"fmt"
	"math"
)

// CompareAttention checks attention probabilities [layer][head][query][key] against the
// reference (golden/tiny-a/interventions.json's attention.values): the shapes, then every value
// within tol. The error names the worst row, its first values and the largest difference.
func CompareAttention(got [][][][]float32, want [][][][]float64, tol float64) error {
	worst, where := 0.0, ""
	for l := range want {
		if l >= len(got) || len(got[l]) != len(want[l]) {
			return fmt.Errorf("attention has %d layers (layer %d: %d heads), want %d layers of %d heads", len(got), l, lenOr(got, l), len(want), len(want[l]))
		}
		for h := range want[l] {
			if len(got[l][h]) != len(want[l][h]) {
				return fmt.Errorf("attention layer %d head %d has %d queries, want %d", l, h, len(got[l][h]), len(want[l][h]))
			}
			for q, row := range want[l][h] {
				if len(got[l][h][q]) != len(row) {
					return fmt.Errorf("attention layer %d head %d query %d has %d keys, want %d", l, h, q, len(got[l][h][q]), len(row))
				}
				for k, w := range row {
					if d := math.Abs(float64(got[l][h][q][k]) - w); d > worst || math.IsNaN(d) {
						worst = d
						where = fmt.Sprintf("layer %d head %d query %d key %d: got %.7g, want %.7g (row starts %.5g, want %.5g)", l, h, q, k, got[l][h][q][k], w, got[l][h][q][:min(3, len(row))], row[:min(3, len(row))])
					}
				}
			}
		}
	}
	if len(got) != len(want) {
		return fmt.Errorf("attention has %d layers, want %d", len(got), len(want))
	}
	if worst > tol || math.IsNaN(worst) {
		return fmt.Errorf("attention: max |diff| %.3g > %g at %s", worst, tol, where)
	}
	return nil
}

func lenOr(x [][][][]float32, i int) int {
	if i < len(x) {
		return len(x[i])
	}
	return 0
}
