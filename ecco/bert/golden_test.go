package bert

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/familytest"
	"github.com/ecco-go/ecco/internal/refdata"
)

func loadTiny(t testing.TB) *Model {
	t.Helper()
	m, err := Load(familytest.Backend(t), filepath.Join(familytest.TestData, "models", "tiny-bert-a"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func readGolden(t testing.TB, n int) (*refdata.Golden, [][][]float64) {
	t.Helper()
	return refdata.Load(t, "tiny-bert-a", n), refdata.Activations(t, "tiny-bert-a", n)
}

// TestReferencePrompts compares hidden states, FFN neurons and MLM logits with transformers'
// BertForMaskedLM (Ecco's lm(inputs)) on the four reference prompts.
func TestReferencePrompts(t *testing.T) {
	m := loadTiny(t)
	for n := 1; n <= 4; n++ {
		t.Run(fmt.Sprint("prompt", n), func(t *testing.T) {
			g, acts := readGolden(t, n)
			at := []int{1}
			if g.MLM.MaskPos != nil {
				at = append(at, *g.MLM.MaskPos)
			}
			out, err := m.Forward(g.Input.IDs, family.StepOptions{LogitsAt: at, Hidden: true, FFN: true})
			if err != nil {
				t.Fatal(err)
			}
			for l, layer := range g.Hidden.Full {
				for p, want := range layer {
					familytest.Close(t, fmt.Sprintf("hidden[%d][%d]", l, p), out.Hidden[l][p], want, 3e-5)
				}
			}
			largest := 0.0
			for _, layer := range acts {
				for _, row := range layer {
					for _, v := range row {
						largest = math.Max(largest, math.Abs(v))
					}
				}
			}
			for l, layer := range acts {
				for j, want := range layer {
					got := make([]float32, len(want))
					for p := range got {
						got[p] = out.FFN[l][p][j]
					}
					familytest.Close(t, fmt.Sprintf("ffn[%d] neuron %d", l, j), got, want, 1e-5*largest)
				}
			}
			familytest.Close(t, "MLM logits at position 1", out.Logits[0][:20], g.MLM.Pos1First20, 5e-5)
			if g.MLM.MaskPos == nil {
				return
			}
			logits := out.Logits[1]
			familytest.Close(t, "MLM logits at [MASK]", logits[:20], g.MLM.MaskFirst20, 5e-5)
			if got := familytest.TopIDs(logits, 10); !slices.Equal(got, g.MLM.Top10IDs) {
				t.Errorf("top-10 at [MASK]: %v, want %v", got, g.MLM.Top10IDs)
			}
			probs := softmax(logits)
			got := make([]float32, 10)
			for i, id := range g.MLM.Top10IDs {
				got[i] = float32(probs[id])
			}
			familytest.Close(t, "top-10 probabilities at [MASK]", got, g.MLM.Top10Probs, 1e-5)
		})
	}
}

func softmax(logits []float32) []float64 {
	top := float64(slices.Max(logits))
	out := make([]float64, len(logits))
	var sum float64
	for i, v := range logits {
		out[i] = math.Exp(float64(v) - top)
		sum += out[i]
	}
	for i := range out {
		out[i] /= sum
	}
	return out
}
