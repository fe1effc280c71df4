package ecco

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/ecco-go/ecco/display"
	"github.com/ecco-go/ecco/internal/refdata"
)

// directAttentionScores computes both attention methods from att [L][H][T][T] the plain way
// (directAttentionMatrices); step i reads query nInput+i−1 over its nInput+i keys.
func directAttentionScores(att [][][][]float64, nInput int) (last, rollout [][]float64) {
	top, product := directAttentionMatrices(att)
	for p := nInput; p < len(top); p++ {
		last = append(last, top[p-1][:p])
		rollout = append(rollout, product[p-1][:p])
	}
	return last, rollout
}

// directAttentionMatrices computes, in float64 with full T×T matrices, the head mean of the
// last layer of att [L][H][T][T] and the rollout R = Â_L ··· Â_1 multiplied out in full.
func directAttentionMatrices(att [][][][]float64) (top, product [][]float64) {
	layers, t := len(att), len(att[0][0])
	mean := func(l int) [][]float64 {
		m := make([][]float64, t)
		for q := range m {
			m[q] = make([]float64, t)
			for h := range att[l] {
				for k := range t {
					m[q][k] += att[l][h][q][k] / float64(len(att[l]))
				}
			}
		}
		return m
	}
	mixed := func(l int) [][]float64 {
		m := mean(l)
		for q := range m {
			var sum float64
			for k := range m[q] {
				m[q][k] = 0.5 * m[q][k]
				if q == k {
					m[q][k] += 0.5
				}
				sum += m[q][k]
			}
			for k := range m[q] {
				m[q][k] /= sum
			}
		}
		return m
	}
	product = mixed(layers - 1)
	for l := layers - 2; l >= 0; l-- {
		right := mixed(l)
		next := make([][]float64, t)
		for q := range next {
			next[q] = make([]float64, t)
			for k := range t {
				for j := range t {
					next[q][k] += product[q][j] * right[j][k]
				}
			}
		}
		product = next
	}
	return mean(layers - 1), product
}

func attention64(att [][][][]float32) [][][][]float64 {
	out := make([][][][]float64, len(att))
	for l := range att {
		for _, head := range att[l] {
			var rows [][]float64
			for _, row := range head {
				rows = append(rows, f64(row))
			}
			out[l] = append(out[l], rows)
		}
	}
	return out
}

// assertScores checks got against want step by step, shapes first.
func assertScores(t *testing.T, what string, got, want [][]float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d steps, want %d", what, len(got), len(want))
	}
	for i := range want {
		assertClose(t, fmt.Sprintf("%s, step %d", what, i), got[i], want[i], tol)
	}
}

// TestAttentionMethodsEqualDirectComputation: on every reference family, both attention
// methods equal the direct computation from the captured attention within 1e-9, whether asked
// at generation (attention captured) or lazily on an Output without attention.
func TestAttentionMethodsEqualDirectComputation(t *testing.T) {
	eachReference(t, func(t *testing.T, model string, lm *LM) {
		prompt := loadModelGolden(t, model, 1).Prompt
		out, err := lm.Generate(prompt, GenerateOptions{Tokens: 4, Attention: true, Attribution: []Method{LastLayerAttention, AttentionRollout}})
		if err != nil {
			t.Fatal(err)
		}
		last, rollout := directAttentionScores(attention64(out.Attention), out.NInput)
		assertScores(t, "attention_last", out.Attributions[string(LastLayerAttention)], last, 1e-9)
		assertScores(t, "attention_rollout", out.Attributions[string(AttentionRollout)], rollout, 1e-9)
		for i, row := range rollout { // rollout rows are distributions over the keys
			var sum float64
			for _, v := range row {
				sum += v
			}
			if math.Abs(sum-1) > 1e-5 {
				t.Errorf("rollout step %d sums to %g", i, sum)
			}
		}
		lazy, err := lm.Generate(prompt, GenerateOptions{Tokens: 4})
		if err != nil {
			t.Fatal(err)
		}
		got, err := lazy.Attribution(AttentionRollout)
		if err != nil {
			t.Fatal(err)
		}
		assertScores(t, "lazy attention_rollout", got, rollout, 1e-9)
	})
}

// TestAttentionMethodsOnEccoAttention: on tiny-a over the ids of golden/tiny-a/interventions.json,
// our scores equal the direct computation from Ecco's own attention within 1e-5.
func TestAttentionMethodsOnEccoAttention(t *testing.T) {
	lm, ref := tiny(t), refdata.LoadInterventions(t)
	out := lm.newOutput(slices.Clone(ref.IDs), ref.NInput, GenerateOptions{})
	last, rollout := directAttentionScores(ref.Attention.Values, ref.NInput)
	for _, c := range []struct {
		m    Method
		want [][]float64
	}{{LastLayerAttention, last}, {AttentionRollout, rollout}} {
		got, err := out.Attribution(c.m)
		if err != nil {
			t.Fatal(err)
		}
		assertScores(t, string(c.m), got, c.want, 1e-5)
	}
}

// TestAttentionMethodsSaveLoad: Save and LoadOutput keep the scores; a loaded Output holding
// the attention but no model computes them again, equal; without attention and model it says
// what is missing. The views show them, and the gradient-only calls refuse them.
func TestAttentionMethodsSaveLoad(t *testing.T) {
	lm, g := tiny(t), loadGolden(t, 1)
	out, err := lm.Generate(g.Prompt, GenerateOptions{Tokens: 3, Attention: true, Attribution: []Method{AttentionRollout, LastLayerAttention}})
	if err != nil {
		t.Fatal(err)
	}
	loaded := savedAndLoaded(t, out)
	for _, m := range []Method{AttentionRollout, LastLayerAttention} {
		want := out.Attributions[string(m)]
		if got := loaded.Attributions[string(m)]; !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("Save and LoadOutput changed the %s scores", m)
		}
		delete(loaded.Attributions, string(m))
		again, err := loaded.Attribution(m)
		if err != nil {
			t.Fatal(err)
		}
		assertScores(t, "recomputed "+string(m), again, want, 0)
	}
	loaded.Attention = nil
	delete(loaded.Attributions, string(AttentionRollout))
	if _, err := loaded.Attribution(AttentionRollout); err == nil {
		t.Error("an Output without attention or model computed a rollout")
	}
	views, err := out.Views(0)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []Method{AttentionRollout, LastLayerAttention} {
		if !slices.ContainsFunc(views, func(v display.View) bool { s, ok := v.(display.Saliency); return ok && s.Method == string(m) }) {
			t.Errorf("the Output's views have no %s saliency", m)
		}
	}
	if _, err := lm.AttributeContrast(g.Prompt, " a", " b", AttentionRollout, nil); err == nil {
		t.Error("AttributeContrast accepted attention_rollout")
	}
	bad := savedAndLoaded(t, out)
	bad.Attention[0][0] = bad.Attention[0][0][:1] // one query row where every token needs one
	delete(bad.Attributions, string(LastLayerAttention))
	if _, err := bad.Attribution(LastLayerAttention); err == nil {
		t.Error("attention of the wrong shape was accepted")
	}
}
