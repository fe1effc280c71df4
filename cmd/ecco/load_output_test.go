package main

import (
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/ecco-go/ecco/display"
	"github.com/ecco-go/ecco/ecco"
)

// TestGenerateJSONOpensAsOutput: `ecco generate -json` writes ecco.Output's saved format, so
// ecco.LoadOutput reads it, holds what the CLI computed, and every view renders from it without
// the model; with the model attached, the views that compute render too.
func TestGenerateJSONOpensAsOutput(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.json")
	mustRun(t, "generate", "-model", tinyDir, "-prompt", "Hello, my dog is cute", "-n", "4", "-json", path,
		"-attribution", "grad_x_input,ig", "-activations", "-nmf", "3", "-rankings", "-layer-predictions", "5", "-logit-lens", "ecco", "-attention")
	var raw generated
	readJSON(t, path, &raw)
	out, err := ecco.LoadOutput(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(out.TokenIDs, raw.TokenIDs) || out.NGenerated() != 4 || out.GeneratedText != raw.GeneratedText {
		t.Fatalf("loaded token_ids %v (%d generated, %q), file %v", out.TokenIDs, out.NGenerated(), out.GeneratedText, raw.TokenIDs)
	}
	if out.NMF == nil || out.NMF.Components != 3 || len(out.Predictions) != 4 || out.LogitLens == nil || out.Lens["ecco"] == nil || out.Attention == nil {
		t.Fatalf("loaded Output lacks a section the flags asked for: nmf %v, %d layer predictions, logit lens %v, lens %v, attention %v",
			out.NMF != nil, len(out.Predictions), out.LogitLens != nil, out.Lens["ecco"] != nil, out.Attention != nil)
	}
	if !reflect.DeepEqual(out.Attributions, raw.Attributions) || len(out.Activations) != raw.Activations.Shape[0] {
		t.Errorf("attributions or activations differ between the file and the loaded Output")
	}
	renderAll := func(o *ecco.Output) {
		t.Helper()
		views, err := o.Views(3)
		if err != nil {
			t.Fatal(err)
		}
		if len(views) != 6 { // sequence, 2 saliency, NMF, rankings, layer predictions
			t.Errorf("%d views, want 6", len(views))
		}
		var each []display.View
		add := func(v display.View, err error) {
			t.Helper()
			if err != nil {
				t.Error(err)
				return
			}
			each = append(each, v)
		}
		add(o.SequenceView(), nil)
		add(o.SaliencyView(ecco.GradXInput, display.StyleDetailed))
		add(o.SaliencyView(ecco.IntegratedGradients, display.StyleMinimal))
		add(o.RankingsView(ecco.LensEcco))
		add(o.LayerPredictionsView(o.NInput+1, 5, ecco.LensEcco))
		add(o.HeadView(1, 1))
		factors, err := o.RunNMF(3, nil)
		if err != nil {
			t.Fatal(err)
		}
		add(factors.ExplorerView(10))
		for _, v := range append(views, each...) {
			if v.HTML() == "" {
				t.Errorf("%T renders nothing", v)
			}
		}
	}
	renderAll(out)

	lm, err := ecco.FromPretrained(tinyDir, ecco.WithActivations())
	if err != nil {
		t.Fatal(err)
	}
	out.Attach(lm)
	renderAll(out)
	if _, err := out.RankingsWatchView(out.NInput, ecco.LensLnF, out.TokenIDs[0]); err != nil {
		t.Errorf("a view computed with the attached model: %v", err)
	}
	if _, err := out.SaliencyView(ecco.Gradient, display.StyleMinimal); err != nil {
		t.Errorf("an attribution computed with the attached model: %v", err)
	}
}

// TestForwardJSONOpensAsOutput: `ecco forward -json` on an encoder writes the same format; the
// loaded Output keeps the [MASK] results and renders its views, and with the encoder attached
// the masked views too.
func TestForwardJSONOpensAsOutput(t *testing.T) {
	model := modelDir("tiny-bert-a")
	path := filepath.Join(t.TempDir(), "bert.json")
	mustRun(t, "forward", "-model", model, "-prompt", "the capital of france is [MASK].", "-activations", "-nmf", "2",
		"-mask-top", "5", "-attribution", "grad_x_input", "-json", path)
	out, err := ecco.LoadOutput(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Masked) != 1 || len(out.Masked[0].TopIDs) != 5 || len(out.Masked[0].Attributions["grad_x_input"]) != len(out.TokenIDs) || out.NMF == nil {
		t.Fatalf("loaded encoder Output: masked %+v, nmf %v", out.Masked, out.NMF != nil)
	}
	views, err := out.Views(2)
	if err != nil || len(views) != 2 { // sequence and NMF: no generated tokens to explain
		t.Fatalf("%d views (%v), want the sequence and the NMF explorer", len(views), err)
	}
	bert, err := ecco.FromPretrained(model, ecco.WithActivations())
	if err != nil {
		t.Fatal(err)
	}
	out.Attach(bert)
	for name, render := range map[string]func() (display.View, error){
		"masked predictions": func() (display.View, error) { return out.MaskedPredictionsView(-1, 5) },
		"mask saliency": func() (display.View, error) {
			return out.MaskSaliencyView(ecco.GradXInput, -1, -1, display.StyleMinimal)
		},
	} {
		v, err := render()
		if err != nil || v.HTML() == "" {
			t.Errorf("%s: %v", name, err)
		}
	}
	a, err := out.AttributeMask(ecco.GradXInput, -1, -1)
	if err != nil {
		t.Fatal(err)
	}
	checkClose(t, "mask attribution recomputed vs the file's", a.Scores, out.Masked[0].Attributions["grad_x_input"], 1e-12)
}
