package ecco

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/ecco/family"
)

// contrastCase is tiny-a on the first golden prompt's first short prefix, contrasting the
// golden top token after the whole prompt with its fourth.
func contrastCase(t *testing.T, length int) (family.Model, []float32, int, int, int) {
	t.Helper()
	lm, g := tiny(t), loadGolden(t, 1)
	ids := g.Input.IDs[:length]
	embeds, err := lm.Model.Embeddings(ids)
	if err != nil {
		t.Fatal(err)
	}
	top := g.FirstForward.Top10IDsLast
	return lm.Model, embeds, len(ids) - 1, top[0], top[3]
}

// maxAbs32 returns the largest |x|.
func maxAbs32(x []float32) float64 {
	m := 0.0
	for _, v := range x {
		m = math.Max(m, math.Abs(float64(v)))
	}
	return m
}

// TestContrastEqualsDifferenceOfGradients: the joint call's contrast equals two separately
// computed gradients combined, within 1e-6 of the gradients' scale (float32 sums in another
// order differ at about 1e-7 relative).
func TestContrastEqualsDifferenceOfGradients(t *testing.T) {
	model, embeds, pos, tid, fid := contrastCase(t, 28)
	got, err := contrastGradients(model, embeds, pos, tid, fid, GradXInput, 0)
	if err != nil {
		t.Fatal(err)
	}
	single := func(id int) (float64, []float32) {
		p, g, err := model.EmbeddingGradients(embeds, 1, []family.Target{{Position: pos, ID: id}}, []float32{1})
		if err != nil {
			t.Fatal(err)
		}
		return float64(p[0][0]), g[0]
	}
	pt, gt := single(tid)
	pf, gf := single(fid)
	if math.Abs(pt-got.pt) > 1e-7 || math.Abs(pf-got.pf) > 1e-7 {
		t.Errorf("probabilities %g, %g: separately %g, %g", got.pt, got.pf, pt, pf)
	}
	for name, c := range map[string]struct {
		got  []float32
		a, b float64
	}{"prob": {got.prob, 1, 1}, "logit": {got.logit, 1 / pt, 1 / pf}} {
		want := combine(gt, gf, c.a, c.b)
		scale := maxAbs32(want)
		worst := 0.0
		for i := range want {
			worst = math.Max(worst, math.Abs(float64(c.got[i]-want[i])))
		}
		if scale == 0 || worst > 1e-6*math.Max(1, scale) {
			t.Errorf("%s: differs from the separate gradients by %.3g (scale %.3g)", name, worst, scale)
		}
	}
}

// TestContrastMatchesFiniteDifferences checks both contrastive gradients against central
// differences (h = 1e-2, in float64 over the float32 forward) of p_t − p_f and of
// log p_t − log p_f: truncation O(h²) and float32 rounding over 2h stay within 2% of the
// largest derivative, the bound the family gradient checks use.
func TestContrastMatchesFiniteDifferences(t *testing.T) {
	model, embeds, pos, tid, fid := contrastCase(t, 6)
	got, err := contrastGradients(model, embeds, pos, tid, fid, Gradient, 0)
	if err != nil {
		t.Fatal(err)
	}
	targets := []family.Target{{Position: pos, ID: tid}, {Position: pos, ID: fid}}
	const h = 1e-2
	var largest, worst [2]float64
	for i := range embeds {
		plus, minus := slices.Clone(embeds), slices.Clone(embeds)
		plus[i] += h
		minus[i] -= h
		p, _, err := model.EmbeddingGradients(append(plus, minus...), 2, targets, []float32{0, 0})
		if err != nil {
			t.Fatal(err)
		}
		at := func(b int) (prob, logit float64) {
			pt, pf := float64(p[0][b]), float64(p[1][b])
			return pt - pf, math.Log(pt) - math.Log(pf)
		}
		probPlus, logitPlus := at(0)
		probMinus, logitMinus := at(1)
		for k, c := range [2]struct{ numeric, analytic float64 }{
			{(probPlus - probMinus) / (2 * h), float64(got.prob[i])},
			{(logitPlus - logitMinus) / (2 * h), float64(got.logit[i])},
		} {
			largest[k] = math.Max(largest[k], math.Abs(c.numeric))
			worst[k] = math.Max(worst[k], math.Abs(c.numeric-c.analytic))
		}
	}
	for k, name := range []string{"p_t − p_f", "z_t − z_f"} {
		if largest[k] == 0 || worst[k] > 0.02*largest[k] {
			t.Errorf("%s: gradient differs from finite differences by %.3g (largest %.3g)", name, worst[k], largest[k])
		}
		t.Logf("%s: max |analytic − numeric| %.3g, largest %.3g", name, worst[k], largest[k])
	}
}

// TestContrastIntegratedGradientsComplete: Σ E ⊙ IG of each difference equals the difference
// at E minus at 0 (completeness), which checks the logit part's per-α weights.
func TestContrastIntegratedGradientsComplete(t *testing.T) {
	model, embeds, pos, tid, fid := contrastCase(t, 6)
	got, err := contrastGradients(model, embeds, pos, tid, fid, IntegratedGradients, DefaultIGSteps)
	if err != nil {
		t.Fatal(err)
	}
	targets := []family.Target{{Position: pos, ID: tid}, {Position: pos, ID: fid}}
	p, _, err := model.EmbeddingGradients(append(slices.Clone(embeds), make([]float32, len(embeds))...), 2, targets, []float32{0, 0})
	if err != nil {
		t.Fatal(err)
	}
	probGap := float64(p[0][0]-p[1][0]) - float64(p[0][1]-p[1][1])
	logitGap := math.Log(float64(p[0][0])/float64(p[1][0])) - math.Log(float64(p[0][1])/float64(p[1][1]))
	for _, c := range []struct {
		name string
		grad []float32
		want float64
	}{{"prob", got.prob, probGap}, {"logit", got.logit, logitGap}} {
		var sum float64
		for i, e := range embeds {
			sum += float64(e) * float64(c.grad[i])
		}
		if math.Abs(sum-c.want) > 1e-3*math.Max(math.Abs(c.want), 1e-3) {
			t.Errorf("%s: Σ E ⊙ IG = %.6g, difference at E minus at 0 = %.6g", c.name, sum, c.want)
		}
	}
}

// TestAttributeContrast runs the API with each method on the golden prompt: the logit
// difference of the golden top two tokens matches Ecco's logits, and foil = target scores zero.
func TestAttributeContrast(t *testing.T) {
	lm, g := tiny(t), loadGolden(t, 1)
	top, logits := g.FirstForward.Top10IDsLast, g.FirstForward.Top10LogitsLast
	target, foil := lm.Tokenizer.Decode(top[:1]), lm.Tokenizer.Decode(top[1:2])
	for _, m := range []Method{GradXInput, Gradient, IntegratedGradients} {
		c, err := lm.AttributeContrast(g.Prompt, target, foil, m, &ContrastOptions{IGSteps: 8})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(c.TargetIDs, top[:1]) || !slices.Equal(c.FoilIDs, top[1:2]) || len(c.Prob) != 1 || len(c.Prob[0]) != len(g.Input.IDs) {
			t.Fatalf("%s: target %v foil %v, %d steps", m, c.TargetIDs, c.FoilIDs, len(c.Prob))
		}
		if want := logits[0] - logits[1]; math.Abs(c.LogitDiff[0]-want) > 1e-4 {
			t.Errorf("%s: logit difference %.6g, Ecco's %.6g", m, c.LogitDiff[0], want)
		}
		same, err := lm.AttributeContrast(g.Prompt, target, target, m, &ContrastOptions{IGSteps: 8})
		if err != nil {
			t.Fatal(err)
		}
		for _, scores := range [][]float64{same.Prob[0], same.Logit[0]} {
			if slices.ContainsFunc(scores, func(s float64) bool { return s != 0 }) || same.LogitDiff[0] != 0 {
				t.Errorf("%s: foil = target scores %v, logit difference %g: want zeros", m, scores, same.LogitDiff[0])
			}
		}
	}
	if _, err := lm.AttributeContrast(g.Prompt, target, target+target, GradXInput, nil); err == nil {
		t.Error("a foil of another length was accepted")
	}
}

// TestContrastRefusesUnderflow: a probability of 0 cannot divide the logit's gradient.
func TestContrastRefusesUnderflow(t *testing.T) {
	if err := underflow(7, 0); err == nil || !strings.Contains(err.Error(), "token 7") {
		t.Errorf("p = 0: error %v, want one naming token 7", err)
	}
	if err := underflow(7, 1e-30); err != nil {
		t.Errorf("p = 1e-30: %v", err)
	}
}
