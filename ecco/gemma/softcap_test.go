package gemma

import (
	"math"
	"slices"
	"testing"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/familytest"
)

// A final soft-cap c makes the generated logits c·tanh(z/c) of the uncapped ones; the embedding
// gradient then differentiates the capped probability (checked by a central difference).
func TestFinalSoftCap(t *testing.T) {
	const c = 5.0
	plain := load(t, referenceConfig(t))
	raw := referenceConfig(t)
	raw["final_logit_softcapping"] = c
	capped := load(t, raw)
	ids := familytest.Load(t, familytest.TestData, "tiny-gemma3-a", 1).Input.IDs
	want, err := plain.Step(ids, nil, family.StepOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := capped.Step(ids, nil, family.StepOptions{})
	if err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for v, z := range want.Logits[0] {
		worst = math.Max(worst, math.Abs(float64(got.Logits[0][v])-c*math.Tanh(float64(z)/c)))
	}
	if worst > 1e-5 {
		t.Errorf("capped logits are %g from c·tanh(z/c); first got %v", worst, got.Logits[0][:3])
	}
	target := []family.Target{{Position: len(ids) - 1, ID: familytest.TopIDs(got.Logits[0], 2)[1]}}
	embeds, err := capped.Embeddings(ids)
	if err != nil {
		t.Fatal(err)
	}
	probs, grads, err := capped.EmbeddingGradients(embeds, 1, target, []float32{1})
	if err != nil {
		t.Fatal(err)
	}
	if p := softmaxAt(got.Logits[0], target[0].ID); math.Abs(float64(probs[0][0])-p) > 1e-6 {
		t.Errorf("gradient's probability %g, the capped forward's %g", probs[0][0], p)
	}
	var norm float64
	for _, g := range grads[0] {
		norm += float64(g) * float64(g)
	}
	norm = math.Sqrt(norm)
	const eps = 2e-3
	shifted := func(sign float64) float64 {
		e := slices.Clone(embeds)
		for i, g := range grads[0] {
			e[i] += float32(sign * eps * float64(g) / norm)
		}
		p, _, err := capped.EmbeddingGradients(e, 1, target, []float32{1})
		if err != nil {
			t.Fatal(err)
		}
		return float64(p[0][0])
	}
	if slope := (shifted(1) - shifted(-1)) / (2 * eps); math.Abs(slope-norm) > 0.03*norm {
		t.Errorf("central difference along the gradient %g, its norm %g", slope, norm)
	}
}

func load(t *testing.T, c map[string]any) family.Model {
	t.Helper()
	m, err := Load(familytest.Backend(t), withConfig(t, c))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func softmaxAt(logits []float32, id int) float64 {
	top := float64(slices.Max(logits))
	var sum float64
	for _, z := range logits {
		sum += math.Exp(float64(z) - top)
	}
	return math.Exp(float64(logits[id])-top) / sum
}
