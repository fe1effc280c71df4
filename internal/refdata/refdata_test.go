package refdata

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReferenceFilesRead: every reference model's files decode into Golden.
func TestPromptAndModelExist(t *testing.T) {
	for _, model := range []string{"tiny-a", "tiny-neo-a", "tiny-llama-a", "tiny-qwen2-a", "tiny-bert-a"} {
		g := Load(t, model, 1)
		if g.Prompt == "" || len(g.Input.IDs) == 0 {
			t.Errorf("%s prompt1.json has no prompt or ids", model)
		}
		if acts := Activations(t, model, 1); len(acts) == 0 || len(acts[0]) == 0 || len(acts[0][0]) == 0 {
			t.Errorf("%s prompt1.activations.json: %d layers, want [L][N][T]", model, len(acts))
		}
	}
	if m := Load(t, "tiny-bert-a", 4).MLM; m.MaskPos == nil || len(m.Top10IDs) != 10 || len(m.Attribution.GradXInput) == 0 {
		t.Errorf("tiny-bert-a prompt4.json: no [MASK] results: %+v", m)
	}
	if g := Load(t, "tiny-a", 1); len(g.Scores(t, "grad_x_input")) != len(g.Greedy.IDs) {
		t.Errorf("tiny-a prompt1.json: grad_x_input has a row per generated token")
	}
	if _, err := os.Stat(filepath.Join(ModelDir(), "config.json")); err != nil {
		t.Fatal(err)
	}
}

func TestReadJSONNamesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "broken.json")
	if err := os.WriteFile(path, []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	var v any
	if err := readJSON(path, &v); err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("want an error naming %s, got %v", path, err)
	}
}
