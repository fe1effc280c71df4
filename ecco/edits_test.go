package ecco

import (
	"cmp"
	"slices"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/internal/refdata"
)

// loadInterventions reads the reference interventions with each case's edits as Edits.
func loadInterventions(t testing.TB) (*refdata.Interventions, [][]Edit) {
	t.Helper()
	g := refdata.LoadInterventions(t)
	var edits [][]Edit
	for _, c := range g.Interventions.Cases {
		var list []Edit
		for _, e := range c.Edits {
			list = append(list, Edit{Layer: e.Layer, Neurons: e.Neurons, Mode: EditMode(e.Mode), Value: float32(e.Value)})
		}
		edits = append(edits, list)
	}
	return g, edits
}

// checkIntervention compares next-token logits with a reference case: the first 20 and the
// top 10 within 1e-4, the argmax and the top-10 ids exactly.
func checkIntervention(t *testing.T, c refdata.InterventionCase, logits []float32) {
	t.Helper()
	assertClose(t, c.Name+" logits[:20]", f64(logits[:20]), c.First20, 1e-4)
	if got := argmax32(logits); got != c.Argmax {
		t.Errorf("%s: argmax %d, want %d", c.Name, got, c.Argmax)
	}
	top := topIDs(logits, 10)
	if !slices.Equal(top, c.Top10IDs) {
		t.Errorf("%s: top-10 ids %v, want %v", c.Name, top, c.Top10IDs)
	}
	var topLogits []float64
	for _, id := range c.Top10IDs {
		topLogits = append(topLogits, float64(logits[id]))
	}
	assertClose(t, c.Name+" top-10 logits", topLogits, c.Top10Logits, 1e-4)
}

func topIDs(logits []float32, k int) []int {
	ids := make([]int, len(logits))
	for i := range ids {
		ids[i] = i
	}
	slices.SortStableFunc(ids, func(a, b int) int { return cmp.Compare(logits[b], logits[a]) })
	return ids[:k]
}

func f64(xs []float32) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}

func TestEditsMatchReferenceInterventions(t *testing.T) {
	g, edits := loadInterventions(t)
	for i, c := range g.Interventions.Cases {
		lm, err := tiny(t).WithEdits(edits[i]...)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		f, err := lm.ForwardIDs(g.IDs[:g.NInput], false)
		if err != nil {
			t.Fatal(err)
		}
		checkIntervention(t, c, f.Logits[g.NInput-1])
	}
}

func TestAttentionMatchesReference(t *testing.T) {
	g, _ := loadInterventions(t)
	prompt := loadGolden(t, 3).Prompt
	out, err := tiny(t).Generate(prompt, GenerateOptions{Tokens: len(g.IDs) - g.NInput, Attention: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(out.TokenIDs, g.IDs) {
		t.Fatalf("ids %v, want %v", out.TokenIDs, g.IDs)
	}
	if err := refdata.CompareAttention(out.Attention, g.Attention.Values, 1e-5); err != nil {
		t.Error(err)
	}
}

func TestBadEditsAreNamed(t *testing.T) {
	for _, c := range []struct {
		edit Edit
		want string
	}{
		{Edit{Layer: 2, Neurons: []int{0}, Mode: Ablate}, "layer 2 is out of range: the model has layers 0..1"},
		{Edit{Layer: -1, Neurons: []int{0}, Mode: Ablate}, "layer -1 is out of range"},
		{Edit{Layer: 0, Neurons: []int{256}, Mode: Add, Value: 1}, "neuron 256 is out of range: layer 0 has neurons 0..255"},
		{Edit{Layer: 0, Neurons: []int{1}, Mode: "inhibit"}, `unknown mode "inhibit", want ablate, add, set or zero_values`},
		{Edit{Layer: 0, Neurons: []int{1}, Mode: ZeroValues}, "zero_values takes positions only, not neurons or a value"},
		{Edit{Layer: 2, Mode: ZeroValues}, "layer 2 is out of range: the model has layers 0..1"},
		{Edit{Layer: 0, Mode: ZeroValues, Positions: []int{1024}}, "position 1024 is out of range"},
		{Edit{Layer: 0, Mode: Ablate}, "no neurons given"},
		{Edit{Layer: 0, Neurons: []int{1}, Mode: Set, Positions: []int{-3}}, "position -3 is out of range"},
	} {
		_, err := tiny(t).WithEdits(Edit{Layer: 1, Neurons: []int{0}, Mode: Ablate}, c.edit)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "neuron edit 2") {
			t.Errorf("%+v: got %v, want an error naming edit 2 and %q", c.edit, err, c.want)
		}
	}
}
