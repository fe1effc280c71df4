package ecco

import (
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/ecco-go/ecco/internal/refdata"
)

// The bundled reference model and the original Ecco's outputs on it (tests/testdata/REFERENCE.md).
var (
	tinyDir   = refdata.ModelDir()
	goldenDir = refdata.GoldenDir()
)

// golden is the part of the reference files these tests read (see tests/testdata/REFERENCE.md).
type golden struct {
	Prompt string `json:"prompt"`
	Input  struct {
		IDs []int `json:"ids"`
	} `json:"input"`
	Greedy struct {
		IDs    []int `json:"ids"`
		AllIDs []int `json:"all_ids"`
	} `json:"greedy"`
	Attribution map[string]json.RawMessage `json:"attribution"`
	Sampling    map[string]json.RawMessage `json:"sampling"`
	Rankings    struct {
		Rank [][]int `json:"rank_of_generated_token"`
		Top1 [][]int `json:"layer_top1_id"`
	} `json:"rankings"`
	LayerPredictions []struct {
		Position int `json:"position"`
		Layers   []struct {
			TopIDs   []int     `json:"top_ids"`
			TopProbs []float64 `json:"top_probs"`
		} `json:"layers"`
	} `json:"layer_predictions"`
	LogitLens struct {
		SequenceIDs []int `json:"sequence_ids"`
		Variants    map[string]struct {
			Top1 [][]int  `json:"top1"`
			Rank [][]*int `json:"next_token_rank"`
		} `json:"variants"`
	} `json:"logit_lens"`
}

func loadGolden(t testing.TB, prompt int) *golden {
	t.Helper()
	var g golden
	readJSON(t, filepath.Join(goldenDir, fmt.Sprintf("prompt%d.json", prompt)), &g)
	return &g
}

// readJSON decodes a JSON file; internal/refdata bounds the read and names the file on error.
func readJSON(t testing.TB, path string, v any) {
	t.Helper()
	refdata.ReadJSON(t, path, v)
}

var (
	tinyOnce sync.Once
	tinyLM   *LM
	tinyErr  error
)

// tiny is the bundled reference model with activations on, loaded once per test binary.
func tiny(t testing.TB) *LM {
	t.Helper()
	tinyOnce.Do(func() { tinyLM, tinyErr = FromPretrained(tinyDir, WithActivations()) })
	if tinyErr != nil {
		t.Fatal(tinyErr)
	}
	return tinyLM
}

// maxDiff returns the largest |got-want| and where; NaN counts as infinitely far.
func maxDiff(got, want []float64) (float64, int) {
	worst, at := 0.0, -1
	if len(got) != len(want) {
		return math.Inf(1), -1
	}
	for i := range want {
		d := math.Abs(got[i] - want[i])
		if math.IsNaN(d) {
			d = math.Inf(1)
		}
		if d > worst || at < 0 {
			worst, at = d, i
		}
	}
	return worst, at
}

func assertClose(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if d, at := maxDiff(got, want); d > tol {
		n := min(4, len(got), len(want))
		t.Errorf("%s: max |diff| %.3g (at %d) > %g; len got %d want %d\n got  %.7g\n want %.7g", what, d, at, tol, len(got), len(want), got[:n], want[:n])
	}
}

func TestGreedyMatchesEcco(t *testing.T) {
	lm := tiny(t)
	for p := 1; p <= 3; p++ {
		g := loadGolden(t, p)
		out, err := lm.Generate(g.Prompt, GenerateOptions{Tokens: len(g.Greedy.IDs)})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(out.TokenIDs[:out.NInput], g.Input.IDs) {
			t.Errorf("prompt %d: input ids %v, want %v", p, out.TokenIDs[:out.NInput], g.Input.IDs)
		}
		if !slices.Equal(out.GeneratedIDs(), g.Greedy.IDs) {
			t.Errorf("prompt %d: greedy ids %v, want %v", p, out.GeneratedIDs(), g.Greedy.IDs)
		}
	}
}

func TestAttributionMatchesEcco(t *testing.T) {
	lm := tiny(t)
	for p := 1; p <= 3; p++ {
		g := loadGolden(t, p)
		out, err := lm.Generate(g.Prompt, GenerateOptions{Tokens: len(g.Greedy.IDs),
			Attribution: []Method{"grad_x_input", "saliency", "ig"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []Method{GradXInput, Gradient, IntegratedGradients} {
			var want [][]float64
			if err := json.Unmarshal(g.Attribution[string(m)], &want); err != nil {
				t.Fatal(err)
			}
			got := out.Attributions[string(m)]
			if len(got) != len(want) {
				t.Fatalf("prompt %d %s: %d steps, want %d", p, m, len(got), len(want))
			}
			for i := range want {
				assertClose(t, fmt.Sprintf("prompt %d %s token %d", p, m, i), got[i], want[i], 1e-5)
			}
		}
		if len(out.IGCompleteness) != len(g.Greedy.IDs) {
			t.Errorf("prompt %d: %d completeness errors, want one per generated token", p, len(out.IGCompleteness))
		}
		for i, gap := range out.IGCompleteness {
			if !(gap < 1e-2) {
				t.Errorf("prompt %d token %d: integrated gradients completeness error %g", p, i, gap)
			}
		}
	}
}
