package ecco

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFromPretrainedNamesSupportedFamilies(t *testing.T) {
	for _, config := range []string{`{"model_type": "t5", "architectures": ["T5ForConditionalGeneration"]}`, `{"architectures": ["T5ForConditionalGeneration"]}`} {
		_, err := FromPretrained(withConfig(t, tinyDir, config))
		if err == nil || !strings.Contains(err.Error(), "is not supported: supported model types are bert, gemma2, gemma3_text, gpt2, gpt_neo, llama, mistral, qwen2, qwen3") {
			t.Errorf("%s: got %v, want an error listing the supported model types", config, err)
		}
	}
}

func TestFromPretrainedPicksTheFamily(t *testing.T) {
	for model, want := range map[string]string{"tiny-a": "gpt2", "tiny-neo-a": "gpt_neo", "tiny-llama-a": "llama", "tiny-qwen2-a": "qwen2", "tiny-qwen3-a": "qwen3", "tiny-gemma3-a": "gemma3_text", "tiny-bert-a": "bert"} {
		info := reference(t, model).Info()
		if info.ModelType != want || info.Layers != 2 || info.Width != 64 {
			t.Errorf("%s: loaded as %+v, want model type %s", model, info, want)
		}
	}
}

// withConfig makes a folder holding model's files (as links) with config.json replaced.
func withConfig(t *testing.T, model, config string) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir(model)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		abs, err := filepath.Abs(filepath.Join(model, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if e.Name() != "config.json" {
			if err := os.Symlink(abs, filepath.Join(dir, e.Name())); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}
