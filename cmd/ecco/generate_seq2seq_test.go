package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/internal/refdata"
)

// seq2seqStacks is the part of `ecco generate -json` on an encoder–decoder that differs from a
// causal model's: the activations of both stacks.
type seq2seqStacks struct {
	EncoderDecoder bool `json:"encoder_decoder"`
	Activations    struct {
		Encoder *activationsJSON `json:"encoder"`
		Decoder *activationsJSON `json:"decoder"`
	} `json:"activations"`
}

// TestGenerateSeq2SeqMatchesEcco runs `ecco generate -json -html` on tiny-t5-a and tiny-bart-a,
// three prompts each: Ecco's token layout, greedy ids exact, the three attributions (vector j
// holding n + j + 1 scores) within 1e-5 of Ecco's entries 1..G (T5's integrated gradients: plus
// the golden's near-kink effects), the encoder's and decoder's activations within 1e-5 of the
// largest, the joined NMF and the rankings as Ecco's, and a page with the views.
func TestGenerateSeq2SeqMatchesEcco(t *testing.T) {
	if testing.Short() {
		t.Skip("integrated gradients of 6 generations")
	}
	for _, model := range []string{"tiny-t5-a", "tiny-bart-a"} {
		for p := 1; p <= 3; p++ {
			t.Run(fmt.Sprintf("%s/prompt%d", model, p), func(t *testing.T) {
				g := refdata.LoadEncDec(t, model, p)
				dir := t.TempDir()
				path, html := filepath.Join(dir, "out.json"), filepath.Join(dir, "view.html")
				stdout := mustRun(t, "generate", "-model", modelDir(model), "-prompt", g.Prompt, "-n", "10", "-attribution", "grad_x_input,gradient,ig",
					"-activations", "-nmf", "4", "-rankings", "-json", path, "-html", html)
				var got generated
				var stacks seq2seqStacks
				readJSON(t, path, &got)
				readJSON(t, path, &stacks)
				if !stacks.EncoderDecoder || !slices.Equal(got.TokenIDs, g.EccoOutput.TokenIDs) || got.NInput != g.EccoOutput.NInputTokens {
					t.Fatalf("token_ids %v (n_input_tokens %d), want %v (%d)", got.TokenIDs, got.NInput, g.EccoOutput.TokenIDs, g.EccoOutput.NInputTokens)
				}
				if !strings.HasSuffix(stdout, g.Greedy.Text+"\n") {
					t.Errorf("stdout %q does not end with the generated text %q", stdout, g.Greedy.Text)
				}
				checkSeq2SeqAttributions(t, &got, g)
				want := refdata.LoadEncDecActivations(t, model, p)
				checkActivationValues(t, "activations.encoder", stacks.Activations.Encoder, want.Encoder)
				checkActivationValues(t, "activations.decoder", stacks.Activations.Decoder, want.Decoder)
				nmf := g.NMF
				if g.NMFCorrectNeurons != nil { // BART: Ecco's own capture is wrong (README)
					nmf = *g.NMFCorrectNeurons
				}
				if got.NMF == nil || len(got.NMF.Factors) != 4 {
					t.Fatalf("nmf %+v, want 4 factors", got.NMF)
				}
				for i, row := range got.NMF.Factors {
					checkClose(t, fmt.Sprintf("nmf factor %d", i), row, nmf.Factors[i], 1e-3*maxAbs(nmf.Factors[i]))
				}
				checkSeq2SeqRankings(t, &got, g)
				page, err := os.ReadFile(html)
				if err != nil {
					t.Fatal(err)
				}
				for _, part := range []string{"<html", "eg-saliency", "eg-factors", "Layer 1"} {
					if !strings.Contains(string(page), part) {
						t.Errorf("the HTML page lacks %q", part)
					}
				}
			})
		}
	}
}

// checkSeq2SeqAttributions compares the JSON's attributions with Ecco's entries 1..G (entry 0
// is Ecco's placeholder for the start token, which the JSON does not write).
func checkSeq2SeqAttributions(t *testing.T, got *generated, g *refdata.EncDecGolden) {
	t.Helper()
	for _, m := range refdata.Methods {
		vectors, want := got.Attributions[m], g.Attribution.Scores(m)
		if len(vectors) != len(want)-1 {
			t.Fatalf("attributions.%s: %d vectors, want %d", m, len(vectors), len(want)-1)
		}
		for j, v := range vectors {
			if len(v) != got.NInput+j+1 {
				t.Errorf("attributions.%s[%d]: %d scores, want n + j + 1 = %d", m, j, len(v), got.NInput+j+1)
			}
			tol := 1e-5
			if k := g.Attribution.ReLUNearKinks; k != nil {
				tol += k.EffectSumPerStep[m][j]
			}
			checkClose(t, fmt.Sprintf("attributions.%s[%d]", m, j), v, want[j+1], tol)
		}
	}
}

// checkSeq2SeqRankings compares lens.ecco's ranks with Ecco's rankings, exactly except at
// near-ties (min_logit_gap below 1e-5), where float32 rounding may move a rank by one.
func checkSeq2SeqRankings(t *testing.T, got *generated, g *refdata.EncDecGolden) {
	t.Helper()
	r, ok := got.Lens["ecco"]
	if !ok || len(r.Rank) != len(g.Rankings.Rank) {
		t.Fatalf("lens.ecco %+v, want ranks of %d layers", got.Lens, len(g.Rankings.Rank))
	}
	for l, ranks := range g.Rankings.Rank {
		for j, want := range ranks {
			if d := r.Rank[l][j] - want; d != 0 && (g.Rankings.MinLogitGap[l][j] >= 1e-5 || d*d > 1) {
				t.Errorf("rank at layer %d step %d: %d, want %d", l, j, r.Rank[l][j], want)
			}
		}
	}
}

func maxAbs(xs []float64) float64 {
	m := 0.0
	for _, x := range xs {
		m = max(m, x, -x)
	}
	return m
}

// TestForwardSeq2SeqSaysUseGenerate: ecco forward runs causal models and encoders only.
func TestForwardSeq2SeqSaysUseGenerate(t *testing.T) {
	_, stderr, status := cli("forward", "-model", modelDir("tiny-t5-a"), "-prompt", "Hello")
	if status == 0 || !strings.Contains(stderr, "is an encoder-decoder (t5)") || !strings.Contains(stderr, "use ecco generate") {
		t.Errorf("status %d, stderr %q: want an error pointing to ecco generate", status, stderr)
	}
}
