package main

import (
	"math"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/ecco"
)

// TestGenerateAttentionRollout: -attribution attention_rollout,attention_last writes the scores
// the API computes for the same greedy run (their values are tested in package ecco).
func TestGenerateAttentionRollout(t *testing.T) {
	assertCLIAttributions(t, ecco.AttentionRollout, ecco.LastLayerAttention)
}

// assertCLIAttributions runs -attribution with methods for 3 greedy tokens of golden prompt 1
// and checks that the JSON holds the scores lm.Generate computes for the same run.
func assertCLIAttributions(t *testing.T, methods ...ecco.Method) {
	t.Helper()
	want := loadGolden(t, 1)
	names := make([]string, len(methods))
	for i, m := range methods {
		names[i] = string(m)
	}
	got, _ := generate(t, "-prompt", want.Prompt, "-n", "3", "-attribution", strings.Join(names, ","))
	lm, err := ecco.FromPretrained(tinyDir)
	if err != nil {
		t.Fatal(err)
	}
	out, err := lm.Generate(want.Prompt, ecco.GenerateOptions{Tokens: 3, Attribution: methods})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range methods {
		api, rows := out.Attributions[string(m)], got.Attributions[string(m)]
		if len(rows) != 3 || len(api) != 3 {
			t.Fatalf("%s: %d steps in the JSON, %d from the API: want 3", m, len(rows), len(api))
		}
		for i := range api {
			if len(rows[i]) != len(api[i]) {
				t.Fatalf("%s step %d: %d scores, API %d", m, i, len(rows[i]), len(api[i]))
			}
			for p := range api[i] {
				if math.Abs(rows[i][p]-api[i][p]) > 1e-12 {
					t.Errorf("%s step %d, position %d: %g, API %g", m, i, p, rows[i][p], api[i][p])
				}
			}
		}
	}
}
