package refdata

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPromptAndModelExist(t *testing.T) {
	var p struct {
		Prompt string `json:"prompt"`
	}
	Prompt(t, 1, &p)
	if p.Prompt == "" {
		t.Fatal("prompt1.json has no prompt")
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
