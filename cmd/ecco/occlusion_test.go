package main

import (
	"math"
	"testing"

	"github.com/ecco-go/ecco/ecco"
)

// TestGenerateOcclusion: -attribution occlusion writes the scores the API computes for the
// same greedy run (their values are tested in package ecco).
func TestGenerateOcclusion(t *testing.T) {
	want := loadGolden(t, 1)
	got, _ := generate(t, "-prompt", want.Prompt, "-n", "3", "-attribution", "occlusion")
	lm, err := ecco.FromPretrained(tinyDir)
	if err != nil {
		t.Fatal(err)
	}
	out, err := lm.Generate(want.Prompt, ecco.GenerateOptions{Tokens: 3, Attribution: []ecco.Method{ecco.Occlusion}})
	if err != nil {
		t.Fatal(err)
	}
	api, rows := out.Attributions["occlusion"], got.Attributions["occlusion"]
	if len(rows) != 3 || len(api) != 3 {
		t.Fatalf("%d steps in the JSON, %d from the API: want 3", len(rows), len(api))
	}
	for i := range api {
		if len(rows[i]) != len(api[i]) {
			t.Fatalf("step %d: %d scores, API %d", i, len(rows[i]), len(api[i]))
		}
		for p := range api[i] {
			if math.Abs(rows[i][p]-api[i][p]) > 1e-12 {
				t.Errorf("step %d, position %d: %g, API %g", i, p, rows[i][p], api[i][p])
			}
		}
	}
}
