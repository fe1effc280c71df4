package ecco

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/internal/refdata"
)

func TestActivationsMatchEcco(t *testing.T) { eachReference(t, checkActivations) }

func checkActivations(t *testing.T, model string, lm *LM) {
	for p := 1; p <= 3; p++ {
		g := loadModelGolden(t, model, p)
		want := refdata.Activations(t, model, p)
		out, err := lm.Generate(g.Prompt, GenerateOptions{Tokens: len(g.Greedy.IDs)})
		if err != nil {
			t.Fatal(err)
		}
		got := out.Activations
		if len(got) != len(want) || len(got[0]) != len(want[0]) || len(got[0][0]) != len(want[0][0]) {
			t.Fatalf("prompt %d: shape [%d %d %d], want [%d %d %d]", p, len(got), len(got[0]), len(got[0][0]),
				len(want), len(want[0]), len(want[0][0]))
		}
		largest, worst := 0.0, 0.0
		for l := range want {
			for n := range want[l] {
				for q, w := range want[l][n] {
					largest = math.Max(largest, math.Abs(w))
					worst = math.Max(worst, math.Abs(float64(got[l][n][q])-w))
				}
			}
		}
		if worst > 1e-5*largest {
			t.Errorf("prompt %d: max |diff| %g > 1e-5 × largest %g; first got %v want %v", p, worst, largest, got[0][0][:3], want[0][0][:3])
		}
	}
}

func TestRunNMFMatchesEcco(t *testing.T) { eachReference(t, checkNMF) }

func checkNMF(t *testing.T, model string, lm *LM) {
	for p := 1; p <= 3; p++ {
		g := loadModelGolden(t, model, p)
		want := g
		out, err := lm.Generate(g.Prompt, GenerateOptions{Tokens: len(g.Greedy.IDs)})
		if err != nil {
			t.Fatal(err)
		}
		f, err := out.RunNMF(4, nil)
		if err != nil {
			t.Fatal(err)
		}
		checkFactors(t, fmt.Sprintf("prompt %d", p), f, &want.NMF)
	}
}

// checkFactors compares an NMF with Ecco's run_nmf: reconstruction error within 1e-4 relative,
// factors within 1e-3 of the largest, and the top neuron's loading within 1e-3 of Ecco's H.
func checkFactors(t *testing.T, what string, f *NeuronFactors, want *refdata.NMF) {
	t.Helper()
	if rel := math.Abs(f.Result.ReconstructionErr-want.ReconstructionErr) / want.ReconstructionErr; rel > 1e-4 {
		t.Errorf("%s: reconstruction error %g, want %g (relative %g)", what, f.Result.ReconstructionErr, want.ReconstructionErr, rel)
	}
	if len(f.Factors()) != len(want.Factors) {
		t.Fatalf("%s: %d factors, want %d", what, len(f.Factors()), len(want.Factors))
	}
	for i, row := range f.Factors() {
		assertRelative(t, fmt.Sprintf("%s factor %d", what, i), row, want.Factors[i], 1e-3)
	}
	top, err := f.TopNeurons(0, 5)
	if err != nil || len(top) != 5 || top[0].Weight < top[4].Weight {
		t.Errorf("%s: top neurons %v (%v)", what, top, err)
	}
	if h := want.H[0][top[0].Layer*f.Neurons+top[0].Neuron]; math.Abs(h-top[0].Weight) > 1e-3*math.Abs(h) {
		t.Errorf("%s: top neuron %+v weight differs from Ecco's H %g", what, top[0], h)
	}
}

// assertRelative compares within tol relative to the largest |want|.
func assertRelative(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	scale := 0.0
	for _, w := range want {
		scale = math.Max(scale, math.Abs(w))
	}
	assertClose(t, what, got, want, tol*scale)
}

func TestRunNMFErrors(t *testing.T) {
	lm := tiny(t)
	out, err := lm.Generate("Hello, my dog is cute", GenerateOptions{Tokens: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		k    int
		opts *NMFOptions
		want string
	}{
		{0, nil, "at least 1"},
		{2, &NMFOptions{FromLayer: 1, ToLayer: 1}, "both 1"},
		{2, &NMFOptions{FromLayer: 2, ToLayer: 1}, "after"},
		{2, &NMFOptions{FromLayer: 0, ToLayer: 5}, "out of range"},
	} {
		if _, err := out.RunNMF(c.k, c.opts); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("RunNMF(%d, %+v): %v, want an error containing %q", c.k, c.opts, err, c.want)
		}
	}
	one, err := out.RunNMF(100, &NMFOptions{FromLayer: 1, ToLayer: 2})
	if err != nil {
		t.Fatal(err)
	}
	if k, _ := one.Result.H.Dims(); k != len(out.Activations[0][0]) {
		t.Errorf("k is capped at the positions: got %d factors for %d positions", k, len(out.Activations[0][0]))
	}
	if one.Layers[0] != 1 || len(one.Layers) != 1 {
		t.Errorf("layers %v, want [1]", one.Layers)
	}
}

func TestActivationLayerChoice(t *testing.T) {
	lm, err := FromPretrained(tinyDir, WithActivationLayers(1))
	if err != nil {
		t.Fatal(err)
	}
	out, err := lm.Generate("Hello, my dog is cute", GenerateOptions{Tokens: 2, AllPositions: true})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out.ActivationLayers, []int{1}) || len(out.Activations) != 1 || len(out.Activations[0][0]) != len(out.TokenIDs) {
		t.Errorf("layers %v, %d captured over %d positions; want layer 1 over all %d tokens", out.ActivationLayers, len(out.Activations), len(out.Activations[0][0]), len(out.TokenIDs))
	}
	full := generateTiny(t, "Hello, my dog is cute", 2)
	if !reflect.DeepEqual(out.Activations[0][7][:len(full.Activations[1][7])], full.Activations[1][7]) {
		t.Error("layer 1 captured alone differs from layer 1 captured with all layers")
	}
	for _, layers := range [][]int{{2}, {-1}, {0, 0}} {
		if _, err := FromPretrained(tinyDir, WithActivationLayers(layers...)); err == nil {
			t.Errorf("WithActivationLayers(%v): no error", layers)
		}
	}
	if _, err := out.LayerActivations(0); err == nil || !strings.Contains(err.Error(), "not captured") {
		t.Errorf("layer 0 was not captured: %v", err)
	}
}

func generateTiny(t *testing.T, prompt string, n int) *Output {
	t.Helper()
	out, err := tiny(t).Generate(prompt, GenerateOptions{Tokens: n})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
