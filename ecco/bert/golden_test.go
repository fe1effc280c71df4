package bert

import (
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/familytest"
	"github.com/ecco-go/ecco/internal/refdata"
)

// referenceModels are the encoder reference models in tests/testdata, one per family with an
// MLM head (ELECTRA has none: electra_test.go checks it against BERT).
var referenceModels = []string{"tiny-bert-a", "tiny-roberta-a", "tiny-distilbert-a", "tiny-albert-a"}

func loadModel(t testing.TB, model string) *Model {
	t.Helper()
	m, err := Load(familytest.Backend(t), filepath.Join(familytest.TestData, "models", model))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func loadTiny(t testing.TB) *Model { return loadModel(t, "tiny-bert-a") }

// readGolden returns prompt n's golden and the FFN neurons [L][N][T] of every layer: Ecco's
// activations, or for a shared layer (ALBERT) every application of it, which Ecco overwrites.
func readGolden(t testing.TB, model string, n int) (*refdata.Golden, [][][]float64) {
	t.Helper()
	acts, all := refdata.EncoderActivations(t, model, n)
	if all != nil {
		if !reflect.DeepEqual(all[len(all)-1], acts[len(acts)-1]) {
			t.Fatalf("%s prompt %d: Ecco's activations are not the shared layer's last application", model, n)
		}
		return refdata.Load(t, model, n), all
	}
	return refdata.Load(t, model, n), acts
}

// TestReferencePrompts compares hidden states, FFN neurons and MLM logits with transformers'
// ...ForMaskedLM (Ecco's lm(inputs)) on the four reference prompts of every family.
func TestReferencePrompts(t *testing.T) {
	for _, model := range referenceModels {
		m := loadModel(t, model)
		for n := 1; n <= 4; n++ {
			t.Run(fmt.Sprintf("%s/prompt%d", model, n), func(t *testing.T) { checkPrompt(t, m, model, n) })
		}
	}
}

// checkPrompt compares model's forward pass over prompt n with its golden: hidden states, FFN
// neurons (where Ecco's capture regex points), MLM logits and the top-10 at the mask.
func checkPrompt(t *testing.T, m *Model, model string, n int) {
	g, acts := readGolden(t, model, n)
	checkCapture(t, m, g.EccoConfig.Activations)
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
	probs := familytest.Softmax(logits)
	got := make([]float32, 10)
	for i, id := range g.MLM.Top10IDs {
		got[i] = float32(probs[id])
	}
	familytest.Close(t, "top-10 probabilities at [MASK]", got, g.MLM.Top10Probs, 1e-5)
}

// checkCapture checks that Ecco's activation regex for the family (its model-config.yaml entry,
// recorded in the golden) is the Arch's and matches, in every layer, the module whose input the
// runtime returns as FFN neurons, and no other module of the layer.
func checkCapture(t *testing.T, m *Model, eccoRegexes []string) {
	t.Helper()
	a := m.cfg.Arch
	if len(eccoRegexes) != 1 || eccoRegexes[0] != a.EccoActivations {
		t.Fatalf("Ecco's activation regexes %q, want the Arch's %q", eccoRegexes, a.EccoActivations)
	}
	re := regexp.MustCompile(a.EccoActivations)
	for i := range m.cfg.Layers {
		layer := fmt.Sprintf(a.Layer, m.cfg.group(i))
		for _, module := range []string{a.Query, a.Key, a.Value, a.AttnOut, a.AttnNorm, a.FFNIn, a.FFNOut, a.FFNNorm} {
			name := layer + strings.TrimSuffix(module, ".")
			if got, want := re.MatchString(name), module == a.FFNOut; got != want {
				t.Errorf("Ecco's regex %q matches %q: %v, want %v", a.EccoActivations, name, got, want)
			}
		}
		if got := a.CaptureModule(m.cfg, i); !re.MatchString(got) {
			t.Errorf("CaptureModule(%d) = %q does not match Ecco's %q", i, got, a.EccoActivations)
		}
	}
}
