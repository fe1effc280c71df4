package ecco

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/internal/refdata"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/familytest"
)

const bertModel = "tiny-bert-a"

// encoderModels are the encoder reference models, each with the original Ecco's goldens.
var encoderModels = []string{bertModel, "tiny-roberta-a", "tiny-distilbert-a", "tiny-albert-a"}

// encoderGolden reads prompt n of an encoder reference model: the golden file, the activations
// a port that exposes every layer must match, and the first layer Ecco's NMF saw (for ALBERT's
// shared layer, the last application: see refdata.EncoderActivations).
func encoderGolden(t testing.TB, model string, n, layers int) (g *refdata.Golden, acts [][][]float64, nmfFrom int) {
	t.Helper()
	eccoActs, all := refdata.EncoderActivations(t, model, n)
	if all != nil {
		return refdata.Load(t, model, n), all, layers - len(eccoActs)
	}
	return refdata.Load(t, model, n), eccoActs, 0
}

// TestEncoderMatchesReference runs the four prompts of every encoder reference model through
// ForwardEncoder: ids exact, activations within 1e-5 × the largest, NMF factors within 1e-3
// relative (Ecco's run_nmf), and at prompt 4's mask token the top-10 ids exact, their
// probabilities within 1e-5 and the three saliency methods within 1e-5 (transformers'
// ...ForMaskedLM with captum).
func TestEncoderMatchesReference(t *testing.T) {
	for _, model := range encoderModels {
		lm := reference(t, model)
		for p := 1; p <= 4; p++ {
			t.Run(fmt.Sprintf("%s/prompt%d", model, p), func(t *testing.T) {
				g, acts, nmfFrom := encoderGolden(t, model, p, lm.Info().Layers)
				out := checkEncoderPrompt(t, lm, g, acts, nmfFrom)
				if g.MLM.MaskPos == nil {
					if _, err := out.MaskedPredictions(10); err == nil || !strings.Contains(err.Error(), "no [MASK] token") {
						t.Errorf("MaskedPredictions without [MASK]: error %v, want one saying there is no [MASK] token", err)
					}
					return
				}
				checkMasked(t, out, g)
			})
		}
	}
}

// checkEncoderPrompt runs g's prompt through ForwardEncoder and compares the ids exactly, the
// activations with acts within 1e-5 × the largest, and the NMF factors from layer nmfFrom on
// with Ecco's within 1e-3 relative.
func checkEncoderPrompt(t *testing.T, lm *LM, g *refdata.Golden, acts [][][]float64, nmfFrom int) *Output {
	t.Helper()
	out, err := lm.ForwardEncoder(g.Prompt)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(out.TokenIDs, g.Input.IDs) {
		t.Fatalf("ids %v, want %v", out.TokenIDs, g.Input.IDs)
	}
	familytest.CloseActivations(t, out.Activations, acts, 1e-5)
	f, err := out.RunNMF(4, &NMFOptions{FromLayer: nmfFrom})
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range f.Factors() {
		assertRelative(t, fmt.Sprintf("NMF factor %d", i), row, g.NMF.Factors[i], 1e-3)
	}
	return out
}

func checkMasked(t *testing.T, out *Output, g *refdata.Golden) {
	preds, err := out.MaskedPredictions(10)
	if err != nil {
		t.Fatal(err)
	}
	if len(preds) != 1 || preds[0].Position != *g.MLM.MaskPos {
		t.Fatalf("predictions at %+v, want one at position %d", preds, *g.MLM.MaskPos)
	}
	if !slices.Equal(preds[0].IDs, g.MLM.Top10IDs) {
		t.Errorf("top-10 ids %v, want %v", preds[0].IDs, g.MLM.Top10IDs)
	}
	assertClose(t, "top-10 probabilities", preds[0].Probs, g.MLM.Top10Probs, 1e-5)
	want := map[Method][]float64{GradXInput: g.MLM.Attribution.GradXInput, Gradient: g.MLM.Attribution.Gradient,
		IntegratedGradients: g.MLM.Attribution.IntegratedGradients}
	for m, scores := range want {
		a, err := out.AttributeMask(m, -1, -1)
		if err != nil {
			t.Fatal(err)
		}
		if a.TargetID != g.MLM.Attribution.TargetID || a.Position != *g.MLM.MaskPos {
			t.Errorf("%s: attributed id %d at %d, want %d at %d", m, a.TargetID, a.Position, g.MLM.Attribution.TargetID, *g.MLM.MaskPos)
		}
		assertClose(t, string(m)+" at [MASK]", a.Scores, scores, 1e-5)
		if math.Abs(a.Prob-g.MLM.Top10Probs[0]) > 1e-5 {
			t.Errorf("%s: F(E) = %g, want the top-1 probability %g", m, a.Prob, g.MLM.Top10Probs[0])
		}
	}
	layers, err := out.MaskedLayerPredictionsAt(-1, 10)
	if err != nil {
		t.Fatal(err)
	}
	last := layers[len(layers)-1]
	if len(layers) != out.Config.NLayer || !slices.Equal(last.IDs, g.MLM.Top10IDs) {
		t.Errorf("layer predictions: %d layers, last top-10 %v; want %d layers ending with %v", len(layers), last.IDs, out.Config.NLayer, g.MLM.Top10IDs)
	}
	v, err := out.MaskSaliencyView(GradXInput, -1, 1640, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Validate(); err != nil {
		t.Errorf("saliency view: %v", err)
	}
	if lp, err := out.MaskedPredictionsView(-1, 5); err != nil || lp.Validate() != nil {
		t.Errorf("layer predictions view: %v / %v", err, lp.Validate())
	}
}

// bareBert writes tiny-bert-a as a BertModel checkpoint (no "bert." prefix, no MLM head).
func bareBert(t *testing.T) string {
	return familytest.Rewrite(t, filepath.Join(testData, "models", bertModel), func(name string) string {
		if strings.HasPrefix(name, "cls.") {
			return ""
		}
		return strings.TrimPrefix(name, "bert.")
	}, nil, "config.json", "vocab.txt", "tokenizer_config.json")
}

// TestEncoderBadInputs: each mistake gives one clear error.
func TestEncoderBadInputs(t *testing.T) {
	lm := reference(t, bertModel)
	_, err := lm.Generate("The capital of France is [MASK].", GenerateOptions{Tokens: 3})
	wantErrorContaining(t, "Generate on an encoder", err, "encoder", "ForwardEncoder")
	_, err = lm.Attribute("The capital of France", " is")
	wantErrorContaining(t, "Attribute on an encoder", err, "encoder", "ForwardEncoder")
	_, err = lm.ForwardEncoder(strings.Repeat("the ", 127))
	wantErrorContaining(t, "129 tokens", err, "129 tokens", "128 positions")
	out, err := lm.ForwardEncoder("the capital of france")
	if err != nil {
		t.Fatal(err)
	}
	_, err = out.MaskedPredictions(5)
	wantErrorContaining(t, "no [MASK]", err, "no [MASK] token")
	_, err = out.AttributeMask(GradXInput, -1, -1)
	wantErrorContaining(t, "saliency without [MASK]", err, "no [MASK] token")
	masked, err := lm.ForwardEncoder("the capital of france is [MASK].")
	if err != nil {
		t.Fatal(err)
	}
	_, err = masked.AttributeMask(GradXInput, 2, -1)
	wantErrorContaining(t, "position 2", err, "position 2 is not a [MASK]", "[6]")
	_, err = masked.AttributeMask(GradXInput, -1, 5000)
	wantErrorContaining(t, "id 5000", err, "5000", "[0, 2000)")
	_, err = tiny(t).ForwardEncoder("hello")
	wantErrorContaining(t, "ForwardEncoder on GPT-2", err, "not an encoder", "Generate")

	bare, err := FromPretrained(bareBert(t), WithActivations())
	if err != nil {
		t.Fatal(err)
	}
	out, err = bare.ForwardEncoder("the capital of france is [MASK].")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := out.RunNMF(2, nil); err != nil {
		t.Errorf("NMF on a bare encoder: %v", err)
	}
	_, err = out.MaskedPredictions(5)
	if !errors.Is(err, family.ErrNoMLMHead) {
		t.Errorf("predictions without an MLM head: error %v, want ErrNoMLMHead", err)
	}
	_, err = out.AttributeMask(Gradient, -1, -1)
	wantErrorContaining(t, "saliency without an MLM head", err, "no masked-language-model head")
}
