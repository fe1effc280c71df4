package ecco

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// TestFilterMatchesHuggingFace: the sampling filters keep exactly the tokens HuggingFace's warpers
// keep on the first-step logits, with the same probabilities.
func TestFilterMatchesHuggingFace(t *testing.T) {
	lm := tiny(t)
	for p := 1; p <= 3; p++ {
		g := loadGolden(t, p)
		f, err := lm.ForwardIDs(g.Input.IDs, false)
		if err != nil {
			t.Fatal(err)
		}
		logits := f.Logits[len(f.Logits)-1]
		for _, setting := range []string{"ecco_default", "t0.7_k0_p0.9", "t1.3_k20_p0.8"} {
			var want struct {
				Temperature float64   `json:"temperature"`
				TopK        int       `json:"top_k"`
				TopP        float64   `json:"top_p"`
				KeptIDs     []int     `json:"kept_ids"`
				KeptProbs   []float64 `json:"kept_probs"`
			}
			if err := json.Unmarshal(g.Sampling[setting], &want); err != nil {
				t.Fatal(err)
			}
			got, err := Filter(logits, want.Temperature, want.TopK, want.TopP)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int
			prob := map[int]float64{}
			for _, c := range got {
				ids = append(ids, c.ID)
				prob[c.ID] = c.Prob
			}
			what := fmt.Sprintf("prompt %d %s", p, setting)
			if !slices.Equal(slices.Sorted(slices.Values(ids)), slices.Sorted(slices.Values(want.KeptIDs))) {
				t.Errorf("%s: kept %d ids %v..., want %d %v...", what, len(ids), ids[:min(5, len(ids))], len(want.KeptIDs), want.KeptIDs[:min(5, len(want.KeptIDs))])
				continue
			}
			// Same set; the order is by probability, so two ids may trade places only where their
			// logits are closer than the logits' own tolerance against Ecco (1e-4): prompt 3 has a
			// pair 1.0e-5 apart that torch and the SIMD kernels order differently.
			probs := make([]float64, len(want.KeptIDs))
			for i, id := range want.KeptIDs {
				probs[i] = prob[id]
				if ids[i] != id && math.Abs(float64(logits[ids[i]]-logits[id])) > 1e-4 {
					t.Errorf("%s: rank %d holds id %d (logit %.8g), want %d (logit %.8g)", what, i, ids[i], logits[ids[i]], id, logits[id])
				}
			}
			assertClose(t, what+" probabilities", probs, want.KeptProbs, 1e-6)
		}
	}
}

func TestSamplingIsRepeatableAndValidated(t *testing.T) {
	lm := tiny(t)
	opts := GenerateOptions{Tokens: 8, Sample: true, Seed: 42}
	a, err := lm.Generate("Hello, my dog is cute", opts)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := lm.Generate("Hello, my dog is cute", opts)
	if !slices.Equal(a.TokenIDs, b.TokenIDs) {
		t.Errorf("same seed, different tokens: %v vs %v", a.TokenIDs, b.TokenIDs)
	}
	for _, c := range []struct {
		opts GenerateOptions
		want string
	}{
		{GenerateOptions{Tokens: 0}, "at least 1"},
		{GenerateOptions{Tokens: -3}, "at least 1"},
		{GenerateOptions{Tokens: 1, Sample: true, TopP: 1.5}, "top-p 1.5"},
		{GenerateOptions{Tokens: 1, Sample: true, Temperature: -1}, "temperature"},
		{GenerateOptions{Tokens: 200}, "exceed the model's context of 128"},
	} {
		if _, err := lm.Generate("Hello", c.opts); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want an error containing %q", c.opts, err, c.want)
		}
	}
	if _, err := lm.Generate("", GenerateOptions{Tokens: 1}); err == nil || !strings.Contains(err.Error(), "tokenizes to nothing") {
		t.Errorf("empty prompt: %v", err)
	}
}

func TestBackendChoice(t *testing.T) {
	t.Setenv("GOMLX_BACKEND", "xla")
	if _, err := NewBackend(); err == nil || !strings.Contains(err.Error(), "not compiled") || !strings.Contains(err.Error(), "-tags xla") {
		t.Errorf("xla without the build tag: %v", err)
	}
	t.Setenv("GOMLX_BACKEND", "go")
	if b, err := NewBackend(); err != nil || b == nil {
		t.Errorf("go backend: %v", err)
	}
	t.Setenv("ECCO_MODEL", "")
	if _, err := FromPretrained(""); err == nil || !strings.Contains(err.Error(), "ECCO_MODEL") {
		t.Errorf("no model and no ECCO_MODEL: %v", err)
	}
	t.Setenv("ECCO_MODEL", tinyDir)
	if _, err := FromPretrained(""); err != nil {
		t.Errorf("ECCO_MODEL: %v", err)
	}
}

func TestSequentialOpsConfig(t *testing.T) {
	for in, want := range map[string]string{
		"go": "go:ops_sequential", "go:parallelism=2": "go:parallelism=2,ops_sequential",
		"go:ops_parallel": "go:ops_parallel", "xla:cuda": "xla:cuda",
	} {
		if got := withSequentialOps(in); got != want {
			t.Errorf("withSequentialOps(%q) = %q, want %q", in, got, want)
		}
	}
}
