package ecco

import (
	"fmt"
	"math"
	"testing"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/internal/refdata"
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

// TestEncoderAttentionMethods: on tiny-bert-a (and ALBERT, whose layers share weights) at the
// [MASK] of prompt 4, value zeroing's distances equal explicit forwards through the edit
// machinery within 1e-5 and AttributeMask's value_zeroing row equals the full rollout of them;
// attention_last and attention_rollout equal the direct computation from the captured
// attention, whose rows are distributions over every token.
func TestEncoderAttentionMethods(t *testing.T) {
	for _, model := range []string{bertModel, "tiny-albert-a"} {
		t.Run(model, func(t *testing.T) {
			lm := reference(t, model)
			out, err := lm.ForwardEncoder(refdata.Load(t, model, 4).Prompt) // the prompt with a [MASK]
			if err != nil {
				t.Fatal(err)
			}
			enc, _ := lm.Encoder()
			raw := checkRawValueZeroing(t, lm, enc, out.TokenIDs)
			pos, err := out.checkMask(-1)
			if err != nil {
				t.Fatal(err)
			}
			a, err := out.AttributeMask(ValueZeroing, pos, -1)
			if err != nil {
				t.Fatal(err)
			}
			assertClose(t, "value_zeroing at the [MASK]", a.Scores, directValueZeroingRollout(raw)[pos], 1e-5)
			att, err := lm.Attention(out.TokenIDs)
			if err != nil {
				t.Fatal(err)
			}
			for l := range att {
				for h := range att[l] {
					for q, row := range att[l][h] {
						var sum float64
						for _, p := range row {
							sum += float64(p)
						}
						if math.Abs(sum-1) > 1e-5 {
							t.Errorf("layer %d head %d query %d: attention sums to %g", l, h, q, sum)
						}
					}
				}
			}
			last, rollout := directAttentionMatrices(attention64(att))
			for _, c := range []struct {
				m    Method
				want []float64
			}{{LastLayerAttention, last[pos]}, {AttentionRollout, rollout[pos]}} {
				got, err := out.AttributeMask(c.m, pos, -1)
				if err != nil {
					t.Fatal(err)
				}
				assertClose(t, string(c.m)+" at the [MASK]", got.Scores, c.want, 1e-9)
			}
		})
	}
}
