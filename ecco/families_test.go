package ecco

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFromPretrainedNamesSupportedFamilies(t *testing.T) {
	const supported = "supported model types are albert, bart, bert, camembert, distilbert, electra, gemma2, gemma3_text, gpt2, gpt_neo, gpt_neox, llama, mbart, mistral, mt5, pegasus, qwen2, qwen3, roberta, t5, xlm-roberta"
	for config, want := range map[string]string{
		`{"model_type": "deberta-v2", "architectures": ["DebertaV2ForMaskedLM"]}`: `"deberta-v2" (an encoder with relative attention) is not supported yet: ` + supported,
		`{"architectures": ["DebertaV2ForMaskedLM"]}`:                             "is not supported: " + supported,
		`{"model_type": "gpt3"}`:                                                  `"gpt3" (architectures []) is not supported: ` + supported,
	} {
		_, err := FromPretrained(withConfig(t, tinyDir, config))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want an error containing %q", config, err, want)
		}
	}
}

func TestFromPretrainedPicksTheFamily(t *testing.T) {
	for model, want := range map[string]string{"tiny-a": "gpt2", "tiny-neo-a": "gpt_neo", "tiny-llama-a": "llama", "tiny-qwen2-a": "qwen2", "tiny-bert-a": "bert",
		"tiny-qwen3-a": "qwen3", "tiny-gemma3-a": "gemma3_text", "tiny-roberta-a": "roberta", "tiny-distilbert-a": "distilbert", "tiny-albert-a": "albert", "tiny-neox-a": "gpt_neox", "tiny-t5-a": "t5", "tiny-bart-a": "bart"} {
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
