package ecco

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/display"
)

// wantErrorContaining fails unless err is an error whose message holds every fragment.
func wantErrorContaining(t *testing.T, what string, err error, fragments ...string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error, want one mentioning %q", what, fragments)
		return
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("%s: error %q does not mention %q", what, err, f)
		}
	}
}

// TestBadInputsGiveClearErrors goes through the mistakes a newcomer makes (issue 15): each
// gives one error naming the value and what was expected, no panic, no NaN.
func TestBadInputsGiveClearErrors(t *testing.T) {
	lm := tiny(t)
	t.Run("Filter", func(t *testing.T) {
		_, err := Filter(nil, 1, 50, 1)
		wantErrorContaining(t, "Filter(nil)", err, "no logits")
		logits := []float32{1, 2, 3}
		_, err = Filter(logits, 0, 50, 1)
		wantErrorContaining(t, "temperature 0", err, "temperature 0", "positive")
		_, err = Filter(logits, math.NaN(), 50, 1)
		wantErrorContaining(t, "temperature NaN", err, "temperature NaN")
		_, err = Filter(logits, 1, 50, 0)
		wantErrorContaining(t, "top-p 0", err, "top-p 0")
		cands, err := Filter(logits, 0.5, 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cands {
			if math.IsNaN(c.Prob) {
				t.Errorf("Filter gave a NaN probability: %v", cands)
			}
		}
	})
	t.Run("TooLongPrompt", func(t *testing.T) {
		limit := lm.Info().Positions
		long := strings.Repeat(" dog", limit)
		_, err := lm.Generate(long, GenerateOptions{Tokens: 5})
		wantErrorContaining(t, "long prompt", err, "exceed the model's context", "at most "+strconv.Itoa(limit-5)+" tokens")
		_, err = lm.Attribute(long, " cat", GradXInput)
		wantErrorContaining(t, "long prompt in Attribute", err, "at most "+strconv.Itoa(limit-1)+" tokens")
	})
	t.Run("NegativeIGStepsBeforeGeneration", func(t *testing.T) {
		generated := 0
		_, err := lm.Generate("Hello", GenerateOptions{Tokens: 3, IGSteps: -2, Attribution: []Method{IntegratedGradients},
			OnToken: func(int, string) { generated++ }})
		wantErrorContaining(t, "IGSteps -2", err, "IGSteps -2", "at least 1")
		if generated != 0 {
			t.Errorf("IGSteps -2 was rejected after generating %d tokens, want before", generated)
		}
		_, err = lm.Generate("Hello", GenerateOptions{Tokens: 1, Attribution: []Method{"lime"}})
		wantErrorContaining(t, "unknown method", err, `"lime"`, "grad_x_input")
	})
	out, err := lm.Generate("Hello, my dog is cute", GenerateOptions{Tokens: 3})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("TopNeurons", func(t *testing.T) {
		f, err := out.RunNMF(2, nil)
		if err != nil {
			t.Fatal(err)
		}
		top, err := f.TopNeurons(0, -1)
		wantErrorContaining(t, "TopNeurons(0, -1)", err, "TopNeurons(0, -1)", "at least 1")
		if top != nil {
			t.Errorf("TopNeurons(0, -1) returned %v with its error", top)
		}
		_, err = f.TopNeurons(5, 3)
		wantErrorContaining(t, "TopNeurons(5, 3)", err, "factor 5", "0..1")
	})
	t.Run("CapturedLayerOutOfRange", func(t *testing.T) {
		_, err := out.Captured(MLPPost(7))
		wantErrorContaining(t, "Captured(MLPPost(7))", err, "blocks.7.mlp.hook_post", "layer 7 does not exist", "layers 0..1")
	})
	t.Run("LoadOutputOfSomethingElse", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "config.json")
		if err := os.WriteFile(path, []byte(`{"n_layer": 2, "n_embd": 64}`), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := LoadOutput(path)
		wantErrorContaining(t, "LoadOutput(config.json)", err, path, "not an ecco Output", "out.Save")
	})
	t.Run("ViewsReturnTheirErrors", func(t *testing.T) {
		loaded := savedAndLoaded(t, out)
		wantErrorContaining(t, "Saliency without a model", loaded.Saliency(), "no model is attached", "Attach")
		wantErrorContaining(t, "bad style", out.PrimaryAttributions(GradXInput, display.Style("fancy")), `"fancy"`, "minimal")
		wantErrorContaining(t, "Rankings without a model", loaded.Rankings(LensEcco), "Attach")
		wantErrorContaining(t, "RankingsWatch without ids", out.RankingsWatch(out.NInput, LensEcco), "at least one token")
		wantErrorContaining(t, "LayerPredictions at a prompt position", out.LayerPredictions(0, 5, LensEcco), "not a generated position")
		if err := out.Rankings(LensEcco); err != nil {
			t.Errorf("Rankings: %v", err)
		}
	})
}
