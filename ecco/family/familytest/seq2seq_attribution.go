package familytest

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/internal/refdata"
	"gonum.org/v1/gonum/integrate/quad"
)

// igSteps is Ecco's number of integrated-gradients nodes (Captum's Gauss–Legendre rule).
const igSteps = 50

// Seq2SeqAttributions recomputes the attributions of a reference generation from m's
// EmbeddingGradients with Ecco's maths (REFERENCE-encdec.md, "Attribution layout"): for generated
// token j, the n encoder embeddings and the j+1 decoder inputs [start, g0, …] are the inputs;
// grad×input = E ⊙ ∇F, gradient = |∇F|, integrated gradients = E ⊙ Σ_k w_k ∇F(α_k E) with zero
// baselines; each token's L2 norm divided by the sum over all n+j+1 tokens. It returns, per
// method, the G vectors (no placeholder). One decoder sequence serves every target: the decoder
// is causal.
func Seq2SeqAttributions(t testing.TB, m family.Seq2Seq, g *refdata.EncDecGolden) map[string][][]float64 {
	t.Helper()
	gen := g.Greedy.IDs
	enc, err := m.Embeddings(g.Input.IDs)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := m.Embeddings(g.Decoder.IDs[:len(gen)])
	if err != nil {
		t.Fatal(err)
	}
	targets := make([]family.Target, len(gen))
	for j, id := range gen {
		targets[j] = family.Target{Position: j, ID: id}
	}
	_, encGrads, decGrads, err := m.EmbeddingGradients(enc, dec, 1, targets, []float32{1})
	if err != nil {
		t.Fatal(err)
	}
	alphas, weights := make([]float64, igSteps), make([]float64, igSteps)
	quad.Legendre{}.FixedLocations(alphas, weights, 0, 1)
	var encBatch, decBatch []float32
	coef := make([]float32, igSteps)
	for b, a := range alphas {
		encBatch, decBatch = append(encBatch, scaled(enc, a)...), append(decBatch, scaled(dec, a)...)
		coef[b] = float32(weights[b])
	}
	_, encIG, decIG, err := m.EmbeddingGradients(encBatch, decBatch, igSteps, targets, coef)
	if err != nil {
		t.Fatal(err)
	}
	d := m.Info().Width
	out := map[string][][]float64{}
	for j := range gen {
		inputs := slices.Concat(enc, dec[:(j+1)*d])
		grads := slices.Concat(encGrads[j], decGrads[j][:(j+1)*d])
		ig := slices.Concat(encIG[j], decIG[j][:(j+1)*d])
		out["grad_x_input"] = append(out["grad_x_input"], normalised(inputs, grads, d))
		out["gradient"] = append(out["gradient"], normalised(nil, grads, d))
		out["integrated_gradients"] = append(out["integrated_gradients"], normalised(inputs, ig, d))
	}
	return out
}

func scaled(x []float32, a float64) []float32 {
	out := make([]float32, len(x))
	for i, v := range x {
		out[i] = float32(a * float64(v))
	}
	return out
}

// normalised is Ecco's aggregation of per-dimension scores grads (times inputs when given):
// each token's L2 norm over its d values, divided by their sum.
func normalised(inputs, grads []float32, d int) []float64 {
	norms := make([]float64, len(grads)/d)
	sum := 0.0
	for tok := range norms {
		sq := 0.0
		for i := tok * d; i < (tok+1)*d; i++ {
			v := float64(grads[i])
			if inputs != nil {
				v *= float64(inputs[i])
			}
			sq += v * v
		}
		norms[tok] = math.Sqrt(sq)
		sum += norms[tok]
	}
	for i := range norms {
		norms[i] /= sum
	}
	return norms
}

// CheckSeq2SeqAttributions compares Seq2SeqAttributions with Ecco's attributions on the three
// reference prompts within 1e-5 per step, plus, where the golden lists ReLU units within float32
// rounding of their kink at an IG node (T5), the sum of what flipping them changes at that step
// (the reference's tolerance advice); and with the float64 reference by the same rule. In -short
// mode only the shortest prompt (3) runs.
func CheckSeq2SeqAttributions(t *testing.T, m family.Seq2Seq, model string) {
	t.Helper()
	prompts := []int{1, 2, 3}
	if testing.Short() {
		prompts = prompts[2:]
	}
	for _, p := range prompts {
		g := refdata.LoadEncDec(t, model, p)
		got := Seq2SeqAttributions(t, m, g)
		for _, method := range refdata.Methods {
			ecco := g.Attribution.Scores(method)
			f64 := g.Attribution.Float64(t, method)
			for j, vec := range got[method] {
				tol := 1e-5
				if k := g.Attribution.ReLUNearKinks; k != nil {
					tol += k.EffectSumPerStep[method][j]
				}
				what := fmt.Sprintf("%s prompt %d %s step %d", model, p, method, j)
				Close(t, what+" vs Ecco", toFloat32(vec), ecco[j+1], tol)
				Close(t, what+" vs float64", toFloat32(vec), f64[j], tol)
			}
		}
	}
}

func toFloat32(x []float64) []float32 {
	out := make([]float32, len(x))
	for i, v := range x {
		out[i] = float32(v)
	}
	return out
}

// CheckSeq2SeqGradients compares EmbeddingGradients with float64 central differences of F (steps
// of 1e-3 on float32 probabilities: 2% of the largest gradient is what float32 allows) for the
// greedy targets of the last two positions of the decoder sequence decIDs (the last one's is
// next), at every coordinate of the first and last encoder tokens and of every decoder token;
// the perturbed inputs run as one batch per token (weights 0).
func CheckSeq2SeqGradients(t *testing.T, m family.Seq2Seq, ids, decIDs []int, next int) {
	t.Helper()
	enc, err := m.Embeddings(ids)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := m.Embeddings(decIDs)
	if err != nil {
		t.Fatal(err)
	}
	d, last := m.Info().Width, len(decIDs)-1
	targets := []family.Target{{Position: last, ID: next}, {Position: last - 1, ID: decIDs[last]}}
	probs, encGrads, decGrads, err := m.EmbeddingGradients(enc, dec, 1, targets, []float32{1})
	if err != nil {
		t.Fatal(err)
	}
	checkGeneratingProbs(t, m, ids, decIDs, targets, probs)
	if after := decGrads[1][last*d:]; slices.ContainsFunc(after, func(v float32) bool { return v != 0 }) {
		t.Errorf("target %+v: the decoder input after it has gradient %v, want 0 (causal)", targets[1], after[:4])
	}
	const h = 1e-3
	type token struct {
		onEncoder bool
		index     int
	}
	tokens := []token{{true, 0}, {true, len(ids) - 1}}
	for i := range decIDs {
		tokens = append(tokens, token{false, i})
	}
	for j, target := range targets {
		largest, worst := 0.0, 0.0
		for _, tok := range tokens {
			var encBatch, decBatch []float32
			for i := range 2 * d {
				e, x := slices.Clone(enc), slices.Clone(dec)
				at, step := tok.index*d+i/2, float32(h)
				if i%2 == 1 {
					step = -h
				}
				if tok.onEncoder {
					e[at] += step
				} else {
					x[at] += step
				}
				encBatch, decBatch = append(encBatch, e...), append(decBatch, x...)
			}
			probs, _, _, err := m.EmbeddingGradients(encBatch, decBatch, 2*d, []family.Target{target}, make([]float32, 2*d))
			if err != nil {
				t.Fatal(err)
			}
			grads := decGrads[j]
			if tok.onEncoder {
				grads = encGrads[j]
			}
			for i := range d {
				numeric := (float64(probs[0][2*i]) - float64(probs[0][2*i+1])) / (2 * h)
				largest = math.Max(largest, math.Abs(numeric))
				worst = math.Max(worst, math.Abs(numeric-float64(grads[tok.index*d+i])))
			}
		}
		if largest == 0 || worst > 0.02*largest {
			t.Errorf("target %+v: gradient differs from finite differences by %.3g (largest %.3g)", target, worst, largest)
		}
		t.Logf("target %+v: max |analytic − numeric| %.3g, largest %.3g", target, worst, largest)
	}
}

// checkGeneratingProbs compares the probabilities EmbeddingGradients differentiates with the
// softmax of Step's logits on the same ids: the embeddings must enter the model as the ids' rows
// do (any embedding scale applied to them too), within 1e-4 relative: logits within 1e-4, the
// goldens' tolerance.
func checkGeneratingProbs(t *testing.T, m family.Seq2Seq, ids, decIDs []int, targets []family.Target, probs [][]float32) {
	t.Helper()
	enc, _, err := m.Encode(ids, family.StepOptions{})
	if err != nil {
		t.Fatal(err)
	}
	at := make([]int, len(targets))
	for j, tg := range targets {
		at[j] = tg.Position
	}
	out, err := m.Step(enc, decIDs, nil, family.StepOptions{LogitsAt: at})
	if err != nil {
		t.Fatal(err)
	}
	for j, tg := range targets {
		want := Softmax(out.Logits[j])[tg.ID]
		if got := float64(probs[j][0]); math.Abs(got-want) > 1e-4*want {
			t.Errorf("target %+v: EmbeddingGradients' probability %.7g, Step's %.7g", tg, got, want)
		}
	}
}
