package ecco

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/internal/refdata"
)

func TestCompareEditsMatchesReference(t *testing.T) {
	g, edits := loadInterventions(t)
	none, ablated := g.Interventions.Cases[0], g.Interventions.Cases[1]
	c, err := tiny(t).CompareEdits(g.Prompt, 10, edits[1]...)
	if err != nil {
		t.Fatal(err)
	}
	ids := func(side []TokenChange) []int {
		var out []int
		for _, tc := range side {
			out = append(out, tc.ID)
		}
		return out
	}
	if !slices.Equal(ids(c.Before), none.Top10IDs) || !slices.Equal(ids(c.After), ablated.Top10IDs) {
		t.Fatalf("top-10 before %v after %v, want %v and %v", ids(c.Before), ids(c.After), none.Top10IDs, ablated.Top10IDs)
	}
	// Between two tokens of one side the log-probability ratio is the logit difference.
	for i, side := range [][]TokenChange{c.Before, c.After} {
		want := []refdata.InterventionCase{none, ablated}[i].Top10Logits
		for j := range side {
			p := side[j].Before
			if i == 1 {
				p = side[j].After
			}
			q := side[0].Before
			if i == 1 {
				q = side[0].After
			}
			if d := math.Log(p/q) - (want[j] - want[0]); math.Abs(d) > 1e-4 {
				t.Errorf("side %d token %d: log-ratio off the reference logits by %g", i, j, d)
			}
		}
	}
	if c.After[0].RankBefore != 2 || c.After[0].RankAfter != 1 {
		t.Errorf("the new argmax ranks %d before and %d after, want 2 and 1", c.After[0].RankBefore, c.After[0].RankAfter)
	}
	html := c.View().HTML()
	if !strings.Contains(html, "ablate layer 1 neurons 3, 17, 200") {
		t.Errorf("the comparison does not say what changed")
	}
}

func TestAblateFactorFeedsAnEdit(t *testing.T) {
	lm := tiny(t)
	out, err := lm.Generate(loadGolden(t, 1).Prompt, GenerateOptions{Tokens: 5})
	if err != nil {
		t.Fatal(err)
	}
	f, err := out.RunNMF(3, nil)
	if err != nil {
		t.Fatal(err)
	}
	top, err := f.TopNeurons(1, 10)
	if err != nil {
		t.Fatal(err)
	}
	edits, err := f.AblateFactor(1, 10)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range edits {
		if e.Mode != Ablate {
			t.Errorf("edit %+v is not an ablation", e)
		}
		for _, j := range e.Neurons {
			if !slices.ContainsFunc(top, func(w NeuronWeight) bool { return w.Layer == e.Layer && w.Neuron == j }) {
				t.Errorf("layer %d neuron %d is not among factor 1's top 10", e.Layer, j)
			}
			n++
		}
	}
	if n != 10 {
		t.Errorf("the edits ablate %d neurons, want 10", n)
	}
	if _, err := f.AblateFactor(3, 10); err == nil {
		t.Error("factor 3 of 3 factors: no error")
	}
	edited, err := lm.WithEdits(edits...)
	if err != nil {
		t.Fatal(err)
	}
	after, err := edited.Generate(loadGolden(t, 1).Prompt, GenerateOptions{Tokens: 5})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range top {
		i := slices.Index(after.ActivationLayers, p.Layer)
		if i < 0 {
			continue
		}
		for pos, x := range after.Activations[i][p.Neuron] {
			if x != 0 {
				t.Fatalf("ablated layer %d neuron %d shows %g at position %d", p.Layer, p.Neuron, x, pos)
			}
		}
	}
}

func TestHeadViewOfAnOutput(t *testing.T) {
	out, err := tiny(t).Generate(loadGolden(t, 3).Prompt, GenerateOptions{Tokens: 3})
	if err != nil {
		t.Fatal(err)
	}
	v, err := out.HeadView(1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Attention) != 2 || len(v.Attention[1][2]) != len(out.TokenIDs) || v.Layer != 1 || v.Head != 2 {
		t.Fatalf("head view over %d layers, %d queries (layer %d head %d)", len(v.Attention), len(v.Attention[1][2]), v.Layer, v.Head)
	}
	if _, err := out.HeadView(2, 0); err == nil || !strings.Contains(err.Error(), "layer 0..1") {
		t.Errorf("layer 2 of 2: got %v", err)
	}
}
