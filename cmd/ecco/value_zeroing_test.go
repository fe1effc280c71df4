package main

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/ecco-go/ecco/ecco"
	"github.com/ecco-go/ecco/internal/refdata"
)

// TestGenerateValueZeroing: -attribution value_zeroing writes the scores the API computes for
// the same greedy run under "attributions" (their values are tested in package ecco).
func TestGenerateValueZeroing(t *testing.T) {
	assertCLIAttributions(t, ecco.ValueZeroing)
}

// TestForwardEncoderAttentionMethods: `ecco forward -mask-top 3 -attribution
// occlusion,attention_last,attention_rollout,value_zeroing` on tiny-bert-a's [MASK] prompt writes,
// under masked[0].attributions, the scores AttributeMask computes for the top prediction.
func TestForwardEncoderAttentionMethods(t *testing.T) {
	const model = "tiny-bert-a"
	methods := []ecco.Method{ecco.Occlusion, ecco.LastLayerAttention, ecco.AttentionRollout, ecco.ValueZeroing}
	prompt := refdata.Load(t, model, 4).Prompt
	path := filepath.Join(t.TempDir(), "out.json")
	mustRun(t, "forward", "-model", modelDir(model), "-prompt", prompt, "-mask-top", "3",
		"-attribution", "occlusion,attention_last,attention_rollout,value_zeroing", "-json", path)
	got, err := ecco.LoadOutput(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Masked) != 1 {
		t.Fatalf("masked has %d entries, want 1", len(got.Masked))
	}
	lm, err := ecco.FromPretrained(modelDir(model))
	if err != nil {
		t.Fatal(err)
	}
	out, err := lm.ForwardEncoder(prompt)
	if err != nil {
		t.Fatal(err)
	}
	m := got.Masked[0]
	for _, method := range methods {
		want, err := out.AttributeMask(method, m.Position, m.TopIDs[0])
		if err != nil {
			t.Fatal(err)
		}
		scores := m.Attributions[string(method)]
		if len(scores) != len(out.TokenIDs) {
			t.Fatalf("%s: %d scores in the JSON, want one per token (%d)", method, len(scores), len(out.TokenIDs))
		}
		for p, w := range want.Scores {
			if math.Abs(scores[p]-w) > 1e-12 {
				t.Errorf("%s, token %d: %g, API %g", method, p, scores[p], w)
			}
		}
	}
}
