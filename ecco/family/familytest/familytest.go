// Package familytest holds the checks every family package runs against the reference models
// (tests/testdata): the first forward pass's logits and the greedy continuation, straight
// through family.Model without package ecco.
package familytest

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/internal/refdata"
	"github.com/gomlx/compute"
	_ "github.com/gomlx/compute/gobackend" // the pure-Go backend
)

// TestData is the repository's test data folder, from a package two levels below the root.
const TestData = "../../tests/testdata"

// Load reads golden/<model>/prompt<n>.json under root.
func Load(t testing.TB, root, model string, prompt int) *refdata.Golden {
	t.Helper()
	var g refdata.Golden
	refdata.ReadJSON(t, filepath.Join(root, "golden", model, fmt.Sprintf("prompt%d.json", prompt)), &g)
	return &g
}

// CheckPrompts runs each of the three reference prompts' ids through m: the logits at the first
// and last positions within 1e-4, the top-10 ids at the last, and the greedy continuation with
// the KV cache, exactly.
func CheckPrompts(t *testing.T, m family.Model, root, model string) {
	for p := 1; p <= 3; p++ {
		g := Load(t, root, model, p)
		ids := g.Input.IDs
		all := []int{0, len(ids) - 1}
		out, err := m.Step(ids, nil, family.StepOptions{LogitsAt: all})
		if err != nil {
			t.Fatal(err)
		}
		Close(t, fmt.Sprintf("%s prompt %d logits at 0", model, p), out.Logits[0][:20], g.FirstForward.LogitsPos0First20, 1e-4)
		Close(t, fmt.Sprintf("%s prompt %d logits at last", model, p), out.Logits[1][:20], g.FirstForward.LogitsLastFirst20, 1e-4)
		if top := TopIDs(out.Logits[1], 10); !slices.Equal(top, g.FirstForward.Top10IDsLast) {
			t.Errorf("%s prompt %d: top-10 ids %v, want %v", model, p, top, g.FirstForward.Top10IDsLast)
		}
		var greedy []int
		cache := out.Cache
		next := TopIDs(out.Logits[1], 1)[0]
		for range g.Greedy.IDs {
			greedy = append(greedy, next)
			s, err := m.Step([]int{next}, cache, family.StepOptions{})
			if err != nil {
				t.Fatal(err)
			}
			cache, next = s.Cache, TopIDs(s.Logits[0], 1)[0]
		}
		if !slices.Equal(greedy, g.Greedy.IDs) {
			t.Errorf("%s prompt %d: greedy %v, want %v", model, p, greedy, g.Greedy.IDs)
		}
	}
}

// Close fails when got and want differ by more than tol anywhere, showing the first values and
// the largest difference.
func Close(t testing.TB, what string, got []float32, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d values, want %d", what, len(got), len(want))
		return
	}
	worst, at := 0.0, 0
	for i := range want {
		if d := math.Abs(float64(got[i]) - want[i]); d > worst || math.IsNaN(d) {
			worst, at = d, i
		}
	}
	if worst > tol || math.IsNaN(worst) {
		n := min(4, len(got))
		t.Errorf("%s: max |diff| %.3g at %d > %g\n got  %v\n want %v", what, worst, at, tol, got[:n], want[:n])
	}
}

// TopIDs returns the k ids of the largest logits, largest first.
func TopIDs(logits []float32, k int) []int {
	ids := make([]int, len(logits))
	for i := range ids {
		ids[i] = i
	}
	slices.SortStableFunc(ids, func(a, b int) int {
		switch {
		case logits[a] > logits[b]:
			return -1
		case logits[a] < logits[b]:
			return 1
		}
		return 0
	})
	return ids[:k]
}

// Backend is the pure-Go backend the family tests run on, configured as package ecco starts it:
// one op at a time (matrix products still use every core). compute v0.1.6's parallel executor
// deadlocks on graphs of several backward passes (package ecco's withSequentialOps), and on
// AVX2-only CPUs even on one encoder gradient: two ops on the two workers each wait in the pool
// for a worker to fan a small matrix product out to (bert's TestGradients hung 9 minutes at 0%
// CPU on an AMD EPYC Zen 3, stack in workerspool.Saturate under avx2SmallFloat32Parallel).
func Backend(t testing.TB) compute.Backend { return goBackend(t, "go:ops_sequential") }

func goBackend(t testing.TB, config string) compute.Backend {
	t.Helper()
	b, err := compute.NewWithConfig(config)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Differentiable is what CheckGradients needs: a family.Model or a family.Encoder.
type Differentiable interface {
	Embeddings(ids []int) ([]float32, error)
	EmbeddingGradients(embeds []float32, batch int, targets []family.Target, coef []float32) (probs, grads [][]float32, err error)
}

// CheckGradients compares EmbeddingGradients with central differences of F (float64 steps of
// 1e-2 on float32 sums: agreement to 2% of the largest gradient is what float32 allows).
func CheckGradients(t *testing.T, m Differentiable, ids []int) {
	t.Helper()
	embeds, err := m.Embeddings(ids)
	if err != nil {
		t.Fatal(err)
	}
	targets := []family.Target{{Position: len(ids) - 1, ID: 3}, {Position: len(ids) / 2, ID: ids[len(ids)/2+1]}}
	_, grads, err := m.EmbeddingGradients(embeds, 1, targets, []float32{1})
	if err != nil {
		t.Fatal(err)
	}
	const h = 1e-2
	for j, target := range targets {
		largest, worst := 0.0, 0.0
		for i := range embeds {
			batch := make([]float32, 0, 2*len(embeds))
			plus, minus := slices.Clone(embeds), slices.Clone(embeds)
			plus[i] += h
			minus[i] -= h
			batch = append(append(batch, plus...), minus...)
			probs, _, err := m.EmbeddingGradients(batch, 2, []family.Target{target}, []float32{0, 0})
			if err != nil {
				t.Fatal(err)
			}
			numeric := (float64(probs[0][0]) - float64(probs[0][1])) / (2 * h)
			largest = math.Max(largest, math.Abs(numeric))
			worst = math.Max(worst, math.Abs(numeric-float64(grads[j][i])))
		}
		if largest == 0 || worst > 0.02*largest {
			t.Errorf("target %+v: gradient differs from finite differences by %.3g (largest %.3g)", target, worst, largest)
		}
		t.Logf("target %+v: max |analytic − numeric| %.3g, largest %.3g", target, worst, largest)
	}
}
