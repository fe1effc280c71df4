package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/ecco"
	"github.com/ecco-go/ecco/internal/refdata"

	"github.com/ecco-go/ecco/ecco/family/familytest"
	"github.com/ecco-go/ecco/nmf"
	"gonum.org/v1/gonum/mat"
)

// TestForwardEncoderMatchesReference runs `ecco forward` on the four prompts of every encoder
// reference model and checks the JSON: ids exact, activations within 1e-5 × the largest, NMF
// factors within 1e-3 relative, and at prompt 4's mask token the top-10 ids exact,
// probabilities and the three saliency methods within 1e-5.
func TestForwardEncoderMatchesReference(t *testing.T) {
	for _, model := range []string{"tiny-bert-a", "tiny-roberta-a", "tiny-distilbert-a", "tiny-albert-a"} {
		for p := 1; p <= 4; p++ {
			t.Run(fmt.Sprintf("%s/prompt%d", model, p), func(t *testing.T) { checkForwardEncoder(t, model, p) })
		}
	}
}

func checkForwardEncoder(t *testing.T, model string, p int) {
	g := refdata.Load(t, model, p)
	eccoActs, all := refdata.EncoderActivations(t, model, p)
	path := filepath.Join(t.TempDir(), "out.json")
	args := []string{"forward", "-model", modelDir(model), "-prompt", g.Prompt, "-activations", "-nmf", "4", "-json", path}
	if g.MLM.MaskPos != nil {
		args = append(args, "-mask-top", "10", "-attribution", "grad_x_input,gradient,integrated_gradients")
	}
	stdout := mustRun(t, args...)
	got, err := ecco.LoadOutput(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.TokenIDs, g.Input.IDs) {
		t.Fatalf("token_ids %v, want %v", got.TokenIDs, g.Input.IDs)
	}
	if len(got.Tokens) != len(got.TokenIDs) || got.Tokens[0] != g.Input.Tokens[0] {
		t.Errorf("tokens %q, want one per id starting with %q", got.Tokens, g.Input.Tokens[0])
	}
	want, wantNMF := eccoActs, g.NMF.Factors
	if all != nil {
		// Ecco's NMF saw the last application only; the CLI factorises every layer, so the
		// factors to match are those of the reference activations of every application.
		want, wantNMF = all, referenceNMF(t, all, 4)
		for i, row := range referenceNMF(t, eccoActs, 4) { // referenceNMF is Ecco's run_nmf
			checkClose(t, fmt.Sprintf("reference NMF factor %d of the last application", i), row, g.NMF.Factors[i], 1e-3*slices.Max(g.NMF.Factors[i]))
		}
	}
	familytest.CloseActivations(t, got.Activations, want, 1e-5)
	for i, row := range got.NMF.Factors {
		scale := 0.0
		for _, w := range wantNMF[i] {
			scale = math.Max(scale, math.Abs(w))
		}
		checkClose(t, fmt.Sprintf("NMF factor %d", i), row, wantNMF[i], 1e-3*scale)
	}
	if g.MLM.MaskPos == nil {
		if len(got.Masked) != 0 {
			t.Errorf("masked section without a [MASK]: %+v", got.Masked)
		}
		return
	}
	if len(got.Masked) != 1 || got.Masked[0].Position != *g.MLM.MaskPos {
		t.Fatalf("masked %+v, want one entry at position %d", got.Masked, *g.MLM.MaskPos)
	}
	m := got.Masked[0]
	if !slices.Equal(m.TopIDs, g.MLM.Top10IDs) {
		t.Errorf("top_ids %v, want %v", m.TopIDs, g.MLM.Top10IDs)
	}
	checkClose(t, "top_probs", m.TopProbs, g.MLM.Top10Probs, 1e-5)
	for method, want := range map[string][]float64{"grad_x_input": g.MLM.Attribution.GradXInput, "gradient": g.MLM.Attribution.Gradient,
		"integrated_gradients": g.MLM.Attribution.IntegratedGradients} {
		checkClose(t, method, m.Attributions[method], want, 1e-5)
	}
	if !strings.HasPrefix(stdout, fmt.Sprintf("[MASK]@%d\t1\t%d\t", *g.MLM.MaskPos, g.MLM.Top10IDs[0])) {
		t.Errorf("stdout starts %q, want the [MASK]'s top prediction first", stdout[:min(len(stdout), 60)])
	}
}

// referenceNMF is Ecco's run_nmf(k) (scikit-learn's NMF, the nmf package's port) of activations
// [L][N][T]: X = max(activations, 0) as positions × (layer, neuron); it returns the factors
// [k][T].
func referenceNMF(t *testing.T, acts [][][]float64, k int) [][]float64 {
	positions := len(acts[0][0])
	x := mat.NewDense(positions, len(acts)*len(acts[0]), nil)
	for l := range acts {
		for n := range acts[l] {
			for p, v := range acts[l][n] {
				x.Set(p, l*len(acts[l])+n, max(float64(float32(v)), 0))
			}
		}
	}
	res, err := nmf.Factorize(x, &nmf.Settings{Components: k})
	if err != nil {
		t.Fatal(err)
	}
	f := res.Factors()
	rows := make([][]float64, k)
	for i := range rows {
		rows[i] = mat.Row(nil, i, f)
	}
	return rows
}

// TestForwardEncoderBadInputs: each mistake is one line naming the problem.
func TestForwardEncoderBadInputs(t *testing.T) {
	model := modelDir("tiny-bert-a")
	dir := t.TempDir()
	out := filepath.Join(dir, "out.json")
	fwd := func(extra ...string) []string {
		return append([]string{"forward", "-model", model}, extra...)
	}
	for _, c := range []struct {
		args    []string
		mention string
	}{
		{fwd("-prompt", "the capital of france", "-mask-top", "5", "-json", out), "no [MASK] token"},
		{fwd("-prompt", strings.Repeat("the ", 127), "-json", out, "-activations"), "more than the model's 128 positions"},
		{fwd("-prompt", "the [MASK]", "-attribution", "gradient", "-json", out), "add -mask-top K"},
		{fwd("-prompt", "the [MASK]", "-mask-top", "3"), "add -json FILE"},
		{fwd("-prompt", "the [MASK]", "-nmf", "3", "-json", out), "needs -activations"},
		{fwd("-prompt", "the [MASK]", "-mask-top", "3", "-attribution", "lime", "-json", out), `unknown attribution method "lime"`},
		{[]string{"forward", "-model", tinyDir, "-prompt", "Hello", "-mask-top", "3", "-json", out}, "use ecco generate"},
		{[]string{"generate", "-model", model, "-prompt", "the capital of france is [MASK]."}, "encoder"},
	} {
		checkOneLineError(t, c.args, c.mention)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a failed run left %s behind", out)
	}
}
