package ecco

import (
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/display"
	"github.com/ecco-go/ecco/ecco/family"
)

// TestOcclusionEqualsExplicitForwards: every score equals p(token) minus a separate batch-1
// forward with that one position's embedding replaced, for the zero baseline and a token's
// embedding. tiny-a's probabilities are small (about 1e-3 for its greedy tokens), so beside
// the absolute 1e-6 each score must agree to 1e-4 of the larger probability (occlusionTolerance).
func TestOcclusionEqualsExplicitForwards(t *testing.T) {
	lm, g := tiny(t), loadGolden(t, 1)
	prompt, cont := g.Input.IDs, g.Greedy.IDs[:3]
	model := lm.Model
	d := model.Info().Width
	baselineID := 198
	for _, opts := range []*OcclusionOptions{nil, {Baseline: &baselineID}} {
		baseline, err := occlusionBaseline(model, opts)
		if err != nil {
			t.Fatal(err)
		}
		ids := append(slices.Clone(prompt), cont...)
		scores, probs, err := occlusionScores(model, ids, len(prompt), baseline)
		if err != nil {
			t.Fatal(err)
		}
		if len(scores) != len(cont) {
			t.Fatalf("%d steps, want %d", len(scores), len(cont))
		}
		forward := func(embeds []float32, target family.Target) float64 {
			p, _, err := model.EmbeddingGradients(embeds, 1, []family.Target{target}, []float32{1})
			if err != nil {
				t.Fatal(err)
			}
			return float64(p[0][0])
		}
		for i, row := range scores {
			n := len(prompt) + i
			if len(row) != n {
				t.Fatalf("step %d: %d scores, want %d", i, len(row), n)
			}
			embeds, err := model.Embeddings(ids[:n])
			if err != nil {
				t.Fatal(err)
			}
			target := family.Target{Position: n - 1, ID: ids[n]}
			full := forward(embeds, target)
			if math.Abs(probs[i]-full) > 1e-6 {
				t.Errorf("step %d: p %.9g, explicitly %.9g", i, probs[i], full)
			}
			for pos := range n {
				occluded := slices.Clone(embeds)
				copy(occluded[pos*d:(pos+1)*d], baseline)
				if want := full - forward(occluded, target); math.Abs(row[pos]-want) > occlusionTolerance(full, want) {
					t.Errorf("baseline %v, step %d, position %d: score %.9g, explicit forward %.9g", opts, i, pos, row[pos], want)
				}
			}
		}
	}
}

// savedAndLoaded saves out to a temporary file and loads it back.
func savedAndLoaded(t *testing.T, out *Output) *Output {
	t.Helper()
	path := filepath.Join(t.TempDir(), "out.json")
	if err := out.Save(path); err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadOutput(path)
	if err != nil {
		t.Fatal(err)
	}
	return loaded
}

// occlusionTolerance bounds a score's error: 1e-6, or 1e-4 of the larger of p and p with the
// token occluded (p − score) when that is tighter, since float32 forwards in another batch shape
// differ at about 1e-6 of a probability.
func occlusionTolerance(p, score float64) float64 {
	return math.Min(1e-6, 1e-4*math.Max(p, p-score))
}

// TestOcclusionAPI runs lm.Occlusion end to end and rejects a baseline id outside the vocabulary.
func TestOcclusionAPI(t *testing.T) {
	lm, g := tiny(t), loadGolden(t, 1)
	scores, probs, err := lm.Occlusion(g.Prompt, lm.Tokenizer.Decode(g.Greedy.IDs[:2]), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(scores) != 2 || len(probs) != 2 || len(scores[1]) != len(g.Input.IDs)+1 {
		t.Fatalf("shapes: %d steps, %d probabilities", len(scores), len(probs))
	}
	if !slices.ContainsFunc(scores[0], func(s float64) bool { return s != 0 }) {
		t.Error("occluding no token changed p(target)")
	}
	bad := lm.Info().Vocab
	if _, _, err := lm.Occlusion(g.Prompt, " x", &OcclusionOptions{Baseline: &bad}); err == nil {
		t.Errorf("baseline id %d was accepted", bad)
	}
}

// TestOcclusionAsMethod: Occlusion works wherever the gradient methods do (Attribute, lazily on
// an Output) and matches lm.Occlusion, which TestOcclusionEqualsExplicitForwards checks; the
// gradient-only calls refuse it. The continuation (the golden prompt thrice, 84 tokens) spans
// two of the model's groups of 64 targets per call. Save, LoadOutput and the saliency view keep it.
func TestOcclusionAsMethod(t *testing.T) {
	lm, g := tiny(t), loadGolden(t, 1)
	prompt, cont := "Frameworks", strings.Repeat(g.Prompt, 3)
	want, probs, err := lm.Occlusion(prompt, cont, nil)
	if err != nil {
		t.Fatal(err)
	}
	out, err := lm.Attribute(prompt, cont, Occlusion)
	if err != nil {
		t.Fatal(err)
	}
	lazy, err := lm.Attribute(prompt, cont)
	if err != nil {
		t.Fatal(err)
	}
	later, err := lazy.Attribution(Occlusion)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) <= targetsPerCall(lm.Model) {
		t.Fatalf("%d continuation tokens fit one group of %d targets", len(want), targetsPerCall(lm.Model))
	}
	for _, got := range [][][]float64{out.Attributions[string(Occlusion)], later} {
		if len(got) != len(want) {
			t.Fatalf("%d steps, lm.Occlusion %d", len(got), len(want))
		}
		for i := range want {
			if len(got[i]) != len(want[i]) {
				t.Fatalf("step %d: %d scores, want %d", i, len(got[i]), len(want[i]))
			}
			for p := range want[i] {
				if d := math.Abs(got[i][p] - want[i][p]); d > occlusionTolerance(probs[i], want[i][p]) {
					t.Errorf("step %d, position %d: %.9g, lm.Occlusion %.9g", i, p, got[i][p], want[i][p])
				}
			}
		}
	}
	view, err := out.SaliencyView(Occlusion, display.StyleMinimal)
	if err != nil {
		t.Fatal(err)
	}
	if err := view.Validate(); err != nil {
		t.Errorf("saliency view of occlusion: %v", err)
	}
	views, err := out.Views(0)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(views, func(v display.View) bool { s, ok := v.(display.Saliency); return ok && s.Method == string(Occlusion) }) {
		t.Error("the Output's views have no occlusion saliency")
	}
	loaded := savedAndLoaded(t, out)
	if got := loaded.Attributions[string(Occlusion)]; !slices.EqualFunc(got, out.Attributions[string(Occlusion)], slices.Equal) {
		t.Error("Save and LoadOutput changed the occlusion scores")
	}
	if _, err := lm.AttributeContrast(g.Prompt, " a", " b", Occlusion, nil); err == nil {
		t.Error("AttributeContrast accepted occlusion")
	}
}
