package ecco

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/display"
	"github.com/ecco-go/ecco/ecco/family"
)

// hiddenStates runs ids through lm (decoder or encoder) for HuggingFace's hidden_states.
func hiddenStates(t *testing.T, lm *LM, ids []int) [][][]float32 {
	t.Helper()
	var s *family.StepOutput
	var err error
	if enc, encErr := lm.Encoder(); encErr == nil {
		s, err = enc.Forward(ids, family.StepOptions{Hidden: true})
	} else {
		s, err = lm.Model.Step(ids, nil, family.StepOptions{Hidden: true})
	}
	if err != nil {
		t.Fatal(err)
	}
	return s.Hidden
}

// cosineDistance64 is 1 − a·b/(|a||b|) in float64.
func cosineDistance64(a, b []float32) float64 {
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	return 1 - dot/math.Sqrt(na*nb)
}

// explicitValueZeroing measures value zeroing the plain way: for every layer l and token j one
// full forward pass of lm.WithEdits(ZeroValues at layer l, position j), and the cosine distance
// of each row of hidden_states[l+1] to the unedited one: [L][i][j].
func explicitValueZeroing(t *testing.T, lm *LM, ids []int) [][][]float64 {
	t.Helper()
	base := hiddenStates(t, lm, ids)
	out := make([][][]float64, lm.Info().Layers)
	for l := range out {
		out[l] = make([][]float64, len(ids))
		for i := range out[l] {
			out[l][i] = make([]float64, len(ids))
		}
		for j := range ids {
			edited, err := lm.WithEdits(Edit{Layer: l, Mode: ZeroValues, Positions: []int{j}})
			if err != nil {
				t.Fatal(err)
			}
			h := hiddenStates(t, edited, ids)
			for i := range ids {
				out[l][i][j] = cosineDistance64(base[l+1][i], h[l+1][i])
			}
		}
	}
	return out
}

// directValueZeroingRollout normalises each row of the explicit distances to sum 1 and
// multiplies the layers out in full, R = C_L ··· C_1, in float64.
func directValueZeroingRollout(raw [][][]float64) [][]float64 {
	t := len(raw[0])
	norm := func(l int) [][]float64 {
		m := make([][]float64, t)
		for i, row := range raw[l] {
			var sum float64
			for _, d := range row {
				sum += d
			}
			m[i] = make([]float64, t)
			for j, d := range row {
				m[i][j] = d / sum
			}
		}
		return m
	}
	product := norm(len(raw) - 1)
	for l := len(raw) - 2; l >= 0; l-- {
		right := norm(l)
		next := make([][]float64, t)
		for i := range next {
			next[i] = make([]float64, t)
			for k := range t {
				for j := range t {
					next[i][k] += product[i][j] * right[j][k]
				}
			}
		}
		product = next
	}
	return product
}

// checkRawValueZeroing compares the model's batched value zeroing of ids with the explicit
// forwards through the edit machinery, within 1e-5, and returns the explicit distances.
func checkRawValueZeroing(t *testing.T, lm *LM, net any, ids []int) [][][]float64 {
	t.Helper()
	got, err := net.(family.ValueZeroer).ValueZeroing(ids)
	if err != nil {
		t.Fatal(err)
	}
	want := explicitValueZeroing(t, lm, ids)
	var largest float64
	for l := range want {
		for _, row := range want[l] {
			for _, d := range row {
				largest = max(largest, d)
			}
		}
		for i := range want[l] {
			assertClose(t, fmt.Sprintf("layer %d row %d", l, i), f64(got[l][i]), want[l][i], 1e-5)
		}
	}
	if largest < 1e-3 {
		t.Fatalf("zeroing values changed no output row by more than %g: the edit does nothing", largest)
	}
	return want
}

// TestValueZeroingEqualsEditedForward: on every decoder reference family (GPT-2, GPT-Neo with
// local attention, LLaMA, Qwen2 and Qwen3 with grouped-query attention, Gemma 3, GPT-NeoX),
// each batched value-zeroing distance equals an explicit forward with that token's values
// zeroed through the edit machinery within 1e-5; no row sees a later token; and the
// value_zeroing attribution of a generated Output equals the rollout of the explicit
// distances multiplied out in full, within 1e-5.
func TestValueZeroingEqualsEditedForward(t *testing.T) {
	eachReference(t, func(t *testing.T, model string, lm *LM) {
		if testing.Short() && model != "tiny-a" && model != "tiny-qwen2-a" { // GPT-2 and GQA in -short
			t.Skip("one forward per layer and token: skipped in -short mode")
		}
		prompt := loadModelGolden(t, model, 1).Prompt
		out, err := lm.Generate(prompt, GenerateOptions{Tokens: 3, Attribution: []Method{ValueZeroing}})
		if err != nil {
			t.Fatal(err)
		}
		ids := out.TokenIDs[:len(out.TokenIDs)-1]
		raw := checkRawValueZeroing(t, lm, lm.Model, ids)
		for l := range raw {
			for i := range raw[l] {
				for j := i + 1; j < len(ids); j++ {
					if raw[l][i][j] != 0 {
						t.Fatalf("layer %d: row %d changed (%g) when later token %d was zeroed", l, i, raw[l][i][j], j)
					}
				}
			}
		}
		r := directValueZeroingRollout(raw)
		var want [][]float64
		for p := out.NInput; p < len(out.TokenIDs); p++ {
			want = append(want, r[p-1][:p])
		}
		assertScores(t, "value_zeroing", out.Attributions[string(ValueZeroing)], want, 1e-5)
	})
}

// TestValueZeroingSaveLoad: Save and LoadOutput keep the value_zeroing scores under
// "attributions"; a loaded Output without them and without a model says to attach one, and
// with the model attached computes them again, equal. The views show them; the gradient-only
// calls refuse the method.
func TestValueZeroingSaveLoad(t *testing.T) {
	lm, g := tiny(t), loadGolden(t, 1)
	out, err := lm.Generate(g.Prompt, GenerateOptions{Tokens: 3, Attribution: []Method{ValueZeroing}})
	if err != nil {
		t.Fatal(err)
	}
	want := out.Attributions[string(ValueZeroing)]
	if len(want) != 3 || len(want[0]) != out.NInput {
		t.Fatalf("value_zeroing holds %d steps, want 3 of %d, %d, %d scores", len(want), out.NInput, out.NInput+1, out.NInput+2)
	}
	loaded := savedAndLoaded(t, out)
	assertScores(t, "loaded value_zeroing", loaded.Attributions[string(ValueZeroing)], want, 0)
	delete(loaded.Attributions, string(ValueZeroing))
	if _, err := loaded.Attribution(ValueZeroing); err == nil || !strings.Contains(err.Error(), "Attach") {
		t.Errorf("value zeroing without a model: got %v, want an error saying to attach one", err)
	}
	loaded.Attach(lm)
	again, err := loaded.Attribution(ValueZeroing)
	if err != nil {
		t.Fatal(err)
	}
	assertScores(t, "recomputed value_zeroing", again, want, 0)
	views, err := out.Views(0)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(views, func(v display.View) bool {
		s, ok := v.(display.Saliency)
		return ok && s.Method == string(ValueZeroing)
	}) {
		t.Error("the Output's views have no value_zeroing saliency")
	}
	if m, err := ParseMethod("value_zeroing"); err != nil || m != ValueZeroing {
		t.Errorf("ParseMethod(value_zeroing) = %q, %v", m, err)
	}
	if _, err := lm.AttributeContrast(g.Prompt, " a", " b", ValueZeroing, nil); err == nil {
		t.Error("AttributeContrast accepted value_zeroing")
	}
}

// TestZeroValuesEditInGradients: the gradients of an LM edited with ZeroValues run the edited
// network (GoMLX's autodiff path, which sees the edit): F equals the edited forward's
// probability, differs from the unedited one, and the gradient equals central differences of
// the edited forward (float32, step 1e-2) along two embedding coordinates within 1%.
func TestZeroValuesEditInGradients(t *testing.T) {
	lm := tiny(t)
	ids := loadGolden(t, 1).Input.IDs[:6]
	edited, err := lm.WithEdits(Edit{Layer: 0, Mode: ZeroValues, Positions: []int{1, 3}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := lm.Model.Step(ids, nil, family.StepOptions{})
	if err != nil {
		t.Fatal(err)
	}
	target := []family.Target{{Position: 5, ID: argmax32(s.Logits[0])}}
	embeds, err := lm.Model.Embeddings(ids)
	if err != nil {
		t.Fatal(err)
	}
	prob := func(m family.Model, e []float32) (float64, []float32) {
		p, g, err := m.EmbeddingGradients(e, 1, target, []float32{1})
		if err != nil {
			t.Fatal(err)
		}
		return float64(p[0][0]), g[0]
	}
	stepProb := func(m family.Model) float64 {
		s, err := m.Step(ids, nil, family.StepOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return softmax64(s.Logits[0])[target[0].ID]
	}
	f, grad := prob(edited.Model, embeds)
	plain, _ := prob(lm.Model, embeds)
	if want := stepProb(edited.Model); math.Abs(f-want) > 1e-6 {
		t.Errorf("edited F %g, edited forward %g", f, want)
	}
	if math.Abs(f-plain) < 1e-6 {
		t.Fatalf("zeroing values left F at %g: the test cannot tell", f)
	}
	d := len(embeds) / len(ids)
	for _, k := range []int{2 * d, 3*d + 5} { // coordinates of tokens 2 and 3
		const h = 1e-2
		up, down := slices.Clone(embeds), slices.Clone(embeds)
		up[k] += h
		down[k] -= h
		fu, _ := prob(edited.Model, up)
		fd, _ := prob(edited.Model, down)
		numeric := (fu - fd) / (2 * h)
		t.Logf("F %g (unedited %g), ∂F/∂e[%d] = %g, central difference %g", f, plain, k, grad[k], numeric)
		if math.Abs(numeric-float64(grad[k])) > 0.01*math.Abs(numeric)+1e-8 {
			t.Errorf("∂F/∂e[%d] = %g, central difference %g", k, grad[k], numeric)
		}
	}
}
