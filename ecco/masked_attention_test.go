package ecco

import (
	"math"
	"slices"
	"testing"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/internal/refdata"
)

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

// TestEncoderOcclusion: on tiny-bert-a at the [MASK] of prompt 4, each occlusion score equals
// F minus an explicit forward with that token's word embedding zeroed, within 1e-6.
func TestEncoderOcclusion(t *testing.T) {
	lm := reference(t, bertModel)
	out, err := lm.ForwardEncoder(refdata.Load(t, bertModel, 4).Prompt)
	if err != nil {
		t.Fatal(err)
	}
	got, err := out.AttributeMask(Occlusion, -1, -1)
	if err != nil {
		t.Fatal(err)
	}
	enc, _ := lm.Encoder()
	embeds, err := enc.Embeddings(out.TokenIDs)
	if err != nil {
		t.Fatal(err)
	}
	d := len(embeds) / len(out.TokenIDs)
	target := []family.Target{{Position: got.Position, ID: got.TargetID}}
	prob := func(e []float32) float64 {
		p, _, err := enc.EmbeddingGradients(e, 1, target, []float32{1})
		if err != nil {
			t.Fatal(err)
		}
		return float64(p[0][0])
	}
	full := prob(embeds)
	if math.Abs(full-got.Prob) > 1e-6 {
		t.Errorf("prob %g, explicit forward %g", got.Prob, full)
	}
	want := make([]float64, len(out.TokenIDs))
	for p := range want {
		occluded := append([]float32(nil), embeds...)
		clear(occluded[p*d : (p+1)*d])
		want[p] = full - prob(occluded)
	}
	assertClose(t, "occlusion at the [MASK]", got.Scores, want, 1e-6)
	if largest := max(-slices.Min(want), slices.Max(want)); largest < 1e-4 {
		t.Fatalf("no token changes the prediction by more than %g: the test cannot tell", largest)
	}
}
