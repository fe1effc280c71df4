package refdata

import (
	"fmt"
	"math"
	"testing"
)

// Interventions is golden/tiny-a/interventions.json (REFERENCE.md): from transformers 4.29.2 on
// tiny-a, the attention of one forward over prompt 3 and its 10 greedy tokens, and the
// next-token logits at the prompt's last position under neuron edits.
type Interventions struct {
	Prompt    string `json:"prompt"`
	IDs       []int  `json:"ids"`
	NInput    int    `json:"n_input_tokens"`
	Attention struct {
		Values [][][][]float64 `json:"values"` // [layer][head][query][key]
	} `json:"attention"`
	Interventions struct {
		Cases []InterventionCase `json:"cases"`
	} `json:"interventions"`
}

// InterventionCase is one edit list and the logits after it.
type InterventionCase struct {
	Name  string `json:"name"`
	Edits []struct {
		Layer   int     `json:"layer"`
		Neurons []int   `json:"neurons"`
		Mode    string  `json:"mode"` // "ablate" or "add"
		Value   float64 `json:"value"`
	} `json:"edits"`
	First20     []float64 `json:"logits_first20"`
	Argmax      int       `json:"argmax"`
	Top10IDs    []int     `json:"top10_ids"`
	Top10Logits []float64 `json:"top10_logits"`
}

// LoadInterventions reads golden/tiny-a/interventions.json.
func LoadInterventions(t testing.TB) *Interventions {
	t.Helper()
	var g Interventions
	File(t, "interventions.json", &g)
	return &g
}

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
