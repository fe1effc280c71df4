package ecco

import (
	"math"
	"slices"
	"testing"
)

// TestContrastFoil: an Output's contrast with a foil equals lm.AttributeContrast with the
// generated text as target (which the contrast tests check against separate gradients and
// finite differences), step i of it equals Output.Contrast at step i with foil token i, the
// foil equal to the generated text gives zeros, and Save/LoadOutput keep it.
func TestContrastFoil(t *testing.T) {
	lm, g := tiny(t), loadGolden(t, 1)
	gen := lm.Tokenizer.Decode(g.Greedy.IDs[:3])
	out, err := lm.Attribute(g.Prompt, gen)
	if err != nil {
		t.Fatal(err)
	}
	out.Options.IGSteps = 4
	foilIDs := []int{g.FirstForward.Top10IDsLast[3], 262, 257, 290, 318}[:out.NGenerated()] // then " the", " a", " and", " is"
	foil := lm.Tokenizer.Decode(foilIDs)
	if got := lm.Tokenizer.Encode(foil); !slices.Equal(got, foilIDs) {
		t.Fatalf("foil %q tokenizes to %v, want %v", foil, got, foilIDs)
	}
	c, err := out.ContrastFoil(foil, []Method{GradXInput, Occlusion, IntegratedGradients})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Methods) != 2 || c.Methods[string(Occlusion)] != nil {
		t.Fatalf("methods %v: want the two gradient methods only", slices.Sorted(func(yield func(string) bool) {
			for m := range c.Methods {
				yield(m)
			}
		}))
	}
	for _, m := range []Method{GradXInput, IntegratedGradients} {
		want, err := lm.AttributeContrast(g.Prompt, gen, foil, m, &ContrastOptions{IGSteps: 4})
		if err != nil {
			t.Fatal(err)
		}
		got := c.Methods[string(m)]
		if maxRowDiff(got.Probability, want.Prob) > 1e-6 || maxRowDiff(got.Logit, want.Logit) > 1e-6 ||
			maxRowDiff([][]float64{c.TargetProb, c.FoilProb}, [][]float64{want.TargetProb, want.FoilProb}) > 1e-7 {
			t.Errorf("%s: Output.ContrastFoil differs from AttributeContrast: step 0 %.6g, want %.6g", m, got.Probability[0][:4], want.Prob[0][:4])
		}
		for i := range out.NGenerated() {
			step, err := out.Contrast(i, lm.Tokenizer.Decode(foilIDs[i:i+1]), m, &ContrastOptions{IGSteps: 4})
			if err != nil {
				t.Fatal(err)
			}
			if maxRowDiff(step.Prob, want.Prob[i:i+1]) > 1e-6 || maxRowDiff(step.Logit, want.Logit[i:i+1]) > 1e-6 {
				t.Errorf("%s step %d: Output.Contrast %.6g, AttributeContrast %.6g", m, i, step.Prob[0][:4], want.Prob[i][:4])
			}
		}
	}
	loaded := savedAndLoaded(t, out)
	if lc := loaded.Contrastive; lc == nil || lc.Foil != foil || maxRowDiff(lc.Methods[string(GradXInput)].Logit, c.Methods[string(GradXInput)].Logit) != 0 {
		t.Errorf("Save and LoadOutput lost the contrast: %+v", lc)
	}
	same, err := out.ContrastFoil(gen, []Method{Gradient})
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range append(same.Methods[string(Gradient)].Probability, same.Methods[string(Gradient)].Logit...) {
		if slices.ContainsFunc(row, func(v float64) bool { return v != 0 }) {
			t.Errorf("foil = generated text: row %d is %v, want zeros", i, row)
		}
	}
	if len(out.Contrastive.Methods) != 1 {
		t.Errorf("a new foil kept %d methods of the old one", len(out.Contrastive.Methods)-1)
	}
	for _, bad := range []string{lm.Tokenizer.Decode(foilIDs[:1]), ""} {
		if _, err := out.ContrastFoil(bad, []Method{Gradient}); err == nil {
			t.Errorf("foil %q of another length was accepted", bad)
		}
	}
	if _, err := out.ContrastFoil(foil, []Method{Occlusion}); err == nil {
		t.Error("a contrast without a gradient method was accepted")
	}
	if _, err := out.Contrast(0, foil, Gradient, nil); err == nil {
		t.Error("Output.Contrast took a foil of several tokens")
	}
}

// maxRowDiff is the largest |a − b| over two [step][token] tables, +Inf when their shapes
// differ. The portable kernels may sum in another order from one call to the next, so repeated
// computations agree to float32 rounding, not bit for bit.
func maxRowDiff(a, b [][]float64) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	worst := 0.0
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return math.Inf(1)
		}
		for j := range a[i] {
			worst = max(worst, math.Abs(a[i][j]-b[i][j]))
		}
	}
	return worst
}
