package familytest

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/internal/refdata"
	"github.com/gomlx/gomlx/core/tensors"
)

// CheckSeq2SeqCaptures runs Ecco's final hooked forward of each reference prompt (the encoder
// over the prompt, the decoder over [start] + generated[:G−1]) and compares the FFN neurons of
// both stacks with the golden activations within 1e-5 of the largest (and the encoder's last
// hidden state with its output); then reads the decoder's
// hidden states through LMHead as Ecco's rankings and layer predictions do: the rank of each
// generated token per layer exactly (±1 where the golden's min_logit_gap is below 1e-5, a near-tie),
// each layer's top-10 ids and their probabilities within 1e-5.
func CheckSeq2SeqCaptures(t *testing.T, m family.Seq2Seq, model string) {
	t.Helper()
	for p := 1; p <= 3; p++ {
		g := refdata.LoadEncDec(t, model, p)
		want := refdata.LoadEncDecActivations(t, model, p)
		what := fmt.Sprintf("%s prompt %d", model, p)
		enc, encOut, err := m.Encode(g.Input.IDs, family.StepOptions{FFN: true, Hidden: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(encOut.Hidden) != m.EncoderInfo().Layers+1 || len(encOut.FFN[0][0]) != m.EncoderInfo().Neurons {
			t.Fatalf("%s: encoder captures of %d hidden states, want %d", what, len(encOut.Hidden), m.EncoderInfo().Layers+1)
		}
		states, err := tensors.CopyFlatData[float32](enc.States)
		if err != nil {
			t.Fatal(err)
		}
		if last := slices.Concat(encOut.Hidden[len(encOut.Hidden)-1]...); !slices.Equal(last, states) {
			t.Errorf("%s: the encoder's last hidden state is not its output (Encoded.States)", what)
		}
		t.Run(what+" encoder", func(t *testing.T) { CloseActivations(t, byNeuron(encOut.FFN), want.Encoder, 1e-5) })
		out, err := m.Step(enc, g.Decoder.FinalForward, nil, family.StepOptions{FFN: true, Hidden: true, Attention: true})
		if err != nil {
			t.Fatal(err)
		}
		checkCausalAttention(t, out.Attention, m.Info(), what)
		t.Run(what+" decoder", func(t *testing.T) { CloseActivations(t, byNeuron(out.FFN), want.Decoder, 1e-5) })
		checkRankings(t, m, g, out.Hidden, what)
	}
}

// byNeuron turns captures [L][T][N] into Ecco's layout [L][N][T].
func byNeuron(ffn [][][]float32) [][][]float32 {
	out := make([][][]float32, len(ffn))
	for l, layer := range ffn {
		out[l] = make([][]float32, len(layer[0]))
		for n := range out[l] {
			out[l][n] = make([]float32, len(layer))
			for t, row := range layer {
				out[l][n][t] = row[n]
			}
		}
	}
	return out
}

// checkRankings compares LMHead on the decoder's hidden states [L+1][G][D] with the golden
// rankings and layer predictions.
func checkRankings(t *testing.T, m family.Seq2Seq, g *refdata.EncDecGolden, hidden [][][]float32, what string) {
	t.Helper()
	for l := range m.Info().Layers {
		logits, err := m.LMHead(hidden[l+1], false)
		if err != nil {
			t.Fatal(err)
		}
		for j, id := range g.Greedy.IDs {
			rank := 1
			for _, v := range logits[j] {
				if v > logits[j][id] {
					rank++
				}
			}
			want, gap := g.Rankings.Rank[l][j], g.Rankings.MinLogitGap[l][j]
			if rank != want && (gap >= 1e-5 || math.Abs(float64(rank-want)) > 1) {
				t.Errorf("%s layer %d step %d: rank %d, want %d (min logit gap %.3g)", what, l, j, rank, want, gap)
			}
			pred := g.LayerPredictions.Steps[j].Layers[l]
			top := TopIDs(logits[j], len(pred.TopIDs))
			if top[0] != g.Rankings.Top1[l][j] || !slices.Equal(top, pred.TopIDs) {
				t.Errorf("%s layer %d step %d: top ids %v, want %v (top-1 %d)", what, l, j, top, pred.TopIDs, g.Rankings.Top1[l][j])
			}
			probs := Softmax(logits[j])
			got := make([]float32, len(pred.TopIDs))
			for i, id := range pred.TopIDs {
				got[i] = float32(probs[id])
			}
			Close(t, fmt.Sprintf("%s layer %d step %d top-10 probabilities", what, l, j), got, pred.TopProbs, 1e-5)
		}
	}
}

// checkCausalAttention checks the decoder's self-attention [L][H][T][T] of a whole sequence:
// every query's probabilities sum to 1 and are 0 beyond it.
func checkCausalAttention(t *testing.T, att [][][][]float32, info family.Info, what string) {
	t.Helper()
	if len(att) != info.Layers || len(att[0]) != info.Heads {
		t.Fatalf("%s: attention of %d layers, want %d × %d heads", what, len(att), info.Layers, info.Heads)
	}
	for l := range att {
		for h := range att[l] {
			for q, row := range att[l][h] {
				sum := 0.0
				for k, v := range row {
					sum += float64(v)
					if k > q && v != 0 {
						t.Fatalf("%s layer %d head %d: query %d attends to later key %d (%g)", what, l, h, q, k, v)
					}
				}
				if math.Abs(sum-1) > 1e-5 {
					t.Fatalf("%s layer %d head %d query %d: probabilities sum to %g", what, l, h, q, sum)
				}
			}
		}
	}
}

// Softmax of float32 logits, computed in float64.
func Softmax(logits []float32) []float64 {
	top := math.Inf(-1)
	for _, v := range logits {
		top = math.Max(top, float64(v))
	}
	out, sum := make([]float64, len(logits)), 0.0
	for i, v := range logits {
		out[i] = math.Exp(float64(v) - top)
		sum += out[i]
	}
	for i := range out {
		out[i] /= sum
	}
	return out
}
