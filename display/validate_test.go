package display

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type validView interface {
	View
	Validate() error
	Save(string) error
}

// TestValidate feeds each view malformed data: Validate names the field and
// the expectation, HTML shows the same message in an error box with no
// script, and Save writes nothing.
func TestValidate(t *testing.T) {
	toks := []Token{{Text: "a"}, {Text: "b"}, {Text: "c"}}
	cases := []struct {
		view validView
		want string
	}{
		{Sequence{}, "Tokens is empty"},
		{Sequence{Tokens: toks, NInput: 4}, "NInput = 4, want 0 ≤ NInput ≤ len(Tokens) = 3"},
		{Saliency{Tokens: toks, NInput: 3}, "no generated tokens"},
		{Saliency{Tokens: toks, NInput: 0, Scores: [][]float64{{}, {1}, {1, 2}}}, "NInput = 0"},
		{Saliency{Tokens: toks, NInput: 2, Scores: [][]float64{{1}}}, "len(Scores[0]) = 1, want NInput+0 = 2"},
		{Saliency{Tokens: toks, NInput: 2, Scores: nil}, "len(Scores) = 0, want one row per generated token = 1"},
		{Saliency{Tokens: toks, NInput: 2, Scores: [][]float64{{1, math.NaN()}}}, "Scores[0][1] = NaN"},
		{Saliency{Tokens: toks, NInput: 2, Scores: [][]float64{{1, 1}}, Style: "fancy"}, `Style = "fancy"`},
		{Factors{Tokens: toks, NInput: 1}, "Values is empty"},
		{Factors{Tokens: toks, NInput: 1, Values: [][]float64{{1, 2}}}, "len(Values[0]) = 2, want one value per token = 3"},
		{Factors{Tokens: toks, NInput: 1, Values: [][]float64{{1, 2, math.Inf(1)}}}, "Values[0][2] = +Inf"},
		{Factors{Tokens: toks, NInput: 1, Values: [][]float64{{1, 2, 3}}, TopNeurons: [][]Neuron{{}, {}}}, "len(TopNeurons) = 2"},
		{LayerPredictions{}, "Layers is empty"},
		{LayerPredictions{Position: -1}, "Position = -1"},
		{LayerPredictions{Layers: []LayerTopK{{Tokens: []string{"x"}, IDs: []int{1}}}}, "Layers[0] has 1 tokens, 1 ids and 0 probs"},
		{LayerPredictions{Layers: []LayerTopK{{Tokens: []string{"x"}, IDs: []int{1}, Probs: []float64{1.5}}}}, "Probs[0] = 1.5, want a probability in [0, 1]"},
		{Rankings{}, "empty matrix"},
		{Rankings{RowLabels: []string{"L0"}, ColLabels: []string{"a", "b"}, Ranks: [][]int{{1}}}, "row 0 has 1 values, want one per column label = 2"},
		{Rankings{RowLabels: []string{"L0", "L1"}, ColLabels: []string{"a"}, Ranks: [][]int{{1}}}, "len(RowLabels) = 2, want one per row = 1"},
		{Rankings{RowLabels: []string{"L0"}, ColLabels: []string{"a"}, Ranks: [][]int{{0}}}, "Ranks[0][0] = 0, want a rank ≥ 1"},
		{Rankings{RowLabels: []string{"L0"}, ColLabels: []string{"a"}, TopLabels: []string{}, Ranks: [][]int{{1}}}, "len(TopLabels) = 0"},
		{Heatmap{RowLabels: []string{"L0"}, ColLabels: []string{"a"}, Values: [][]float64{{math.NaN()}}}, "Values[0][0] = NaN"},
	}
	dir := t.TempDir()
	for i, c := range cases {
		err := c.view.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("case %d (%T): Validate() = %v, want an error containing %q", i, c.view, err, c.want)
			continue
		}
		out := c.view.HTML()
		if !strings.Contains(out, `class="eccogo eg-error"`) || strings.Contains(out, "<script") {
			t.Errorf("case %d (%T): HTML of invalid data is not a plain error box: %.200s", i, c.view, out)
		}
		path := filepath.Join(dir, "v.html")
		if err := c.view.Save(path); err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("case %d (%T): Save = %v, want the validation error naming %s", i, c.view, err, path)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("failed saves left files behind: %v", entries)
	}
}

// TestSave writes a page atomically and checks it is complete and that a
// failed write (missing directory) leaves nothing.
func TestSave(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "seq.html")
	s := Sequence{Tokens: []Token{{Text: "Hi", ID: 1}}, NInput: 1}
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	if !strings.HasPrefix(page, "<!DOCTYPE html>") || !strings.HasSuffix(strings.TrimSpace(page), "</html>") ||
		!strings.Contains(page, "Content-Security-Policy") || !strings.Contains(page, `class="eccogo eg-sequence"`) {
		t.Fatalf("saved page incomplete:\n%.400s", page)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("directory holds %d files after save, want 1 (no temp files)", len(entries))
	}
	bad := filepath.Join(dir, "missing", "x.html")
	if err := s.Save(bad); err == nil || !strings.Contains(err.Error(), bad) {
		t.Fatalf("Save into a missing directory = %v, want an error naming %s", err, bad)
	}
	if err := WritePage(path, "none"); err == nil {
		t.Fatal("WritePage with no views succeeded")
	}
}

// TestDisplay checks Display sends the fragment only inside a notebook.
func TestDisplay(t *testing.T) {
	var shown []string
	defer func(n func() bool, d func(string)) { inNotebook, displayHTML = n, d }(inNotebook, displayHTML)
	displayHTML = func(h string) { shown = append(shown, h) }
	s := Sequence{Tokens: []Token{{Text: "Hi"}}, NInput: 1}

	inNotebook = func() bool { return false }
	s.Display()
	if len(shown) != 0 {
		t.Fatal("Display sent output outside a notebook")
	}
	inNotebook = func() bool { return true }
	Display(s, Heatmap{RowLabels: []string{"a"}, ColLabels: []string{"b"}, Values: [][]float64{{0.5}}})
	if len(shown) != 2 || !strings.Contains(shown[0], "eg-sequence") || !strings.Contains(shown[1], "eg-heatmap") {
		t.Fatalf("Display sent %d outputs: %.200v", len(shown), shown)
	}
}
