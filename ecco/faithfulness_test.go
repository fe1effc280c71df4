package ecco

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/ecco-go/ecco/ecco/family"
)

// allMethods are every attribution method faithfulness is measured for.
var allMethods = []Method{GradXInput, Gradient, IntegratedGradients, Occlusion, LastLayerAttention, AttentionRollout}

// explicitProb is p(target) from one batch-1 forward over embeds with the embeddings at
// positions replaced by baseline.
func explicitProb(t *testing.T, model family.Model, embeds, baseline []float32, positions []int, target family.Target) float64 {
	t.Helper()
	d := model.Info().Width
	e := slices.Clone(embeds)
	for _, p := range positions {
		copy(e[p*d:(p+1)*d], baseline)
	}
	probs, _, err := model.EmbeddingGradients(e, 1, []family.Target{target}, []float32{1})
	if err != nil {
		t.Fatal(err)
	}
	return float64(probs[0][0])
}

// checkFaithfulnessExplicitly recomputes every comprehensiveness and sufficiency value of f with
// explicit batch-1 forwards on the top-k tokens of out's attributions, replaced by baseline.
func checkFaithfulnessExplicitly(t *testing.T, out *Output, f *Faithfulness, baseline []float32) {
	t.Helper()
	model := out.model().Model
	checked, worst := 0, 0.0
	for name, mf := range f.Methods {
		for i := range out.NGenerated() {
			n := out.NInput + i
			embeds, err := model.Embeddings(out.TokenIDs[:n])
			if err != nil {
				t.Fatal(err)
			}
			target := family.Target{Position: n - 1, ID: out.TokenIDs[n]}
			full := explicitProb(t, model, embeds, baseline, nil, target)
			order := ranking(out.Attributions[name][i])
			for k, frac := range f.Fractions {
				c := TopCount(frac, n)
				for _, v := range []struct {
					what      string
					got       float64
					positions []int
				}{{"comprehensiveness", mf.Comprehensiveness[i][k], order[:c]}, {"sufficiency", mf.Sufficiency[i][k], order[c:]}} {
					want := full - explicitProb(t, model, embeds, baseline, v.positions, target)
					diff := math.Abs(v.got - want)
					worst = max(worst, diff)
					if diff > occlusionTolerance(full, want) {
						t.Errorf("%s step %d k=%g %s: %.9g, explicit forwards %.9g (p %.6g, removed %v)", name, i, frac, v.what, v.got, want, full, v.positions)
					}
					checked++
				}
			}
			aopc := (mf.Comprehensiveness[i][0] + mf.Comprehensiveness[i][1] + mf.Comprehensiveness[i][2]) / 3
			if math.Abs(mf.AOPCComprehensiveness[i]-aopc) > 1e-12 {
				t.Errorf("%s step %d: AOPC comprehensiveness %g, mean of the fractions %g", name, i, mf.AOPCComprehensiveness[i], aopc)
			}
		}
		if m := mean(mf.AOPCSufficiency); math.Abs(m-mf.MeanAOPCSufficiency) > 1e-12 {
			t.Errorf("%s: mean AOPC sufficiency %g, mean of the steps %g", name, mf.MeanAOPCSufficiency, m)
		}
	}
	t.Logf("%d values equal explicit forwards, max difference %.3g", checked, worst)
}

// TestFaithfulnessEqualsExplicitForwards: on tiny-a (GPT-2) and tiny-llama-a, every value for
// every method equals explicit forwards with the chosen tokens replaced (within 1e-6, see
// occlusionTolerance), with the zero baseline and, on tiny-a, a token's embedding.
func TestFaithfulnessEqualsExplicitForwards(t *testing.T) {
	if testing.Short() {
		t.Skip("integrated gradients and explicit forwards per value: not in -short")
	}
	for _, name := range []string{"tiny-a", "tiny-llama-a"} {
		t.Run(name, func(t *testing.T) {
			lm, g := reference(t, name), loadModelGolden(t, name, 1)
			out, err := lm.Attribute(g.Prompt, lm.Tokenizer.Decode(g.Greedy.IDs[:3]))
			if err != nil {
				t.Fatal(err)
			}
			out.Options.IGSteps = 8
			baselineID := 13
			options := []*FaithfulnessOptions{nil}
			if name == "tiny-a" {
				options = append(options, &FaithfulnessOptions{Baseline: &baselineID})
			}
			for _, opts := range options {
				f, err := out.ScoreFaithfulness(allMethods, opts)
				if err != nil {
					t.Fatal(err)
				}
				if len(f.Methods) != len(allMethods) || !slices.Equal(f.Fractions, DefaultFractions) {
					t.Fatalf("%d methods, fractions %v", len(f.Methods), f.Fractions)
				}
				var occ *OcclusionOptions
				if opts != nil {
					occ = &OcclusionOptions{Baseline: opts.Baseline}
				}
				baseline, err := occlusionBaseline(lm.Model, occ)
				if err != nil {
					t.Fatal(err)
				}
				checkFaithfulnessExplicitly(t, out, f, baseline)
			}
			last := options[len(options)-1] // the Output keeps the last run's numbers
			if want := map[bool]string{true: "zero", false: "token:13"}[last == nil]; out.Faithfulness.Baseline != want {
				t.Errorf("kept baseline %q, want the last run's %s", out.Faithfulness.Baseline, want)
			}
			fresh, err := lm.Attribute(g.Prompt, lm.Tokenizer.Decode(g.Greedy.IDs[:3]))
			if err != nil {
				t.Fatal(err)
			}
			step, err := fresh.StepFaithfulness(1, []Method{Gradient}, last) // measured alone
			if err != nil {
				t.Fatal(err)
			}
			got, want := step.Methods["gradient"], out.Faithfulness.Methods["gradient"]
			for k := range DefaultFractions {
				if math.Abs(got.Comprehensiveness[0][k]-want.Comprehensiveness[1][k]) > 1e-6 || math.Abs(got.Sufficiency[0][k]-want.Sufficiency[1][k]) > 1e-6 {
					t.Errorf("step 1 alone: %v %v, in the whole Output %v %v", got.Comprehensiveness[0], got.Sufficiency[0], want.Comprehensiveness[1], want.Sufficiency[1])
				}
			}
			if fresh.Faithfulness != nil {
				t.Error("StepFaithfulness kept its numbers in the Output")
			}
			loaded := savedAndLoaded(t, out)
			again, err := loaded.ScoreFaithfulness(allMethods, last)
			if err != nil {
				t.Fatalf("a loaded Output without a model: %v", err)
			}
			for m, mf := range again.Methods {
				if !slices.Equal(mf.AOPCSufficiency, out.Faithfulness.Methods[m].AOPCSufficiency) {
					t.Errorf("%s after Save and LoadOutput: %v, want %v", m, mf.AOPCSufficiency, out.Faithfulness.Methods[m].AOPCSufficiency)
				}
			}
		})
	}
}

// TestTopCount pins the rounding rule: ⌈k·n⌉, at least one token, exact products not rounded up.
func TestTopCount(t *testing.T) {
	for _, c := range []struct {
		k         float64
		n, expect int
	}{{0.1, 5, 1}, {0.1, 30, 3}, {0.2, 10, 2}, {0.5, 5, 3}, {0.1, 1, 1}, {1, 7, 7}, {0.5, 35, 18}, {0.1, 31, 4}} {
		if got := TopCount(c.k, c.n); got != c.expect {
			t.Errorf("TopCount(%g, %d) = %d, want %d", c.k, c.n, got, c.expect)
		}
	}
}

// TestFaithfulnessRejects: bad fractions and baselines, and a step out of range, are refused.
func TestFaithfulnessRejects(t *testing.T) {
	lm, g := tiny(t), loadGolden(t, 1)
	out, err := lm.Attribute(g.Prompt, " x")
	if err != nil {
		t.Fatal(err)
	}
	bad := lm.Info().Vocab
	for _, opts := range []*FaithfulnessOptions{{Fractions: []float64{}}, {Fractions: []float64{0.5, 0.2}}, {Fractions: []float64{0, 0.5}}, {Fractions: []float64{1.5}}, {Baseline: &bad}} {
		if _, err := out.ScoreFaithfulness([]Method{Gradient}, opts); err == nil {
			t.Errorf("options %+v were accepted", opts)
		}
	}
	if _, err := out.StepFaithfulness(1, []Method{Gradient}, nil); err == nil {
		t.Error("step 1 of a one-token Output was accepted")
	}
	if _, err := out.ScoreFaithfulness([]Method{"nope"}, nil); err == nil {
		t.Error("an unknown method was accepted")
	}
}

// ExampleTopCount: the top-k share of a step's tokens rounds up, to at least one token.
func ExampleTopCount() {
	for _, n := range []int{5, 30, 31} {
		fmt.Println(n, "tokens:", TopCount(0.1, n), TopCount(0.2, n), TopCount(0.5, n))
	}
	// Output:
	// 5 tokens: 1 1 3
	// 30 tokens: 3 6 15
	// 31 tokens: 4 7 16
}
