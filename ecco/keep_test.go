package ecco

import (
	"path/filepath"
	"reflect"
	"testing"
)

// Keep fills the saved fields with what the separate calls return, and Save writes them.
func TestKeepFillsTheSavedFields(t *testing.T) {
	lm := tiny(t)
	out, err := lm.Generate(loadGolden(t, 1).Prompt, GenerateOptions{Tokens: 4})
	if err != nil {
		t.Fatal(err)
	}
	if err := out.Keep(lm, Saved{NMF: 3, Rankings: true, LayerPredictions: 2, LogitLens: true, Lens: LensEcco}); err != nil {
		t.Fatal(err)
	}
	f, err := out.RunNMF(3, nil)
	if err != nil {
		t.Fatal(err)
	}
	summary, err := f.Summary(savedTopNeurons)
	if err != nil {
		t.Fatal(err)
	}
	preds, err := out.AllLayerPredictions(2, LensEcco)
	if err != nil {
		t.Fatal(err)
	}
	grid, err := lm.LogitLens(out.TokenIDs, LensEcco)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out.NMF, summary) || !reflect.DeepEqual(out.Predictions, preds) || !reflect.DeepEqual(out.LogitLens, grid) || out.Lens[string(LensEcco)] == nil {
		t.Errorf("Keep: NMF %v, %d predictions, lens grid %v, lens data %v", out.NMF != nil, len(out.Predictions), out.LogitLens != nil, out.Lens)
	}
	path := filepath.Join(t.TempDir(), "out.json")
	if err := out.Save(path); err != nil {
		t.Fatal(err)
	}
	saved, err := LoadOutput(path)
	if err != nil {
		t.Fatal(err)
	}
	if saved.NMF == nil || len(saved.Predictions) != len(preds) || saved.LogitLens == nil {
		t.Errorf("saved and loaded: NMF %v, %d predictions, lens grid %v", saved.NMF != nil, len(saved.Predictions), saved.LogitLens != nil)
	}
}
