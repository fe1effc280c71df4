package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/ecco/llama"
)

// TestFamilyPresetsHaveTheHubShapes counts each preset's parameters at its own vocabulary: the
// figures of the hub models they copy.
func TestFamilyPresetsHaveTheHubShapes(t *testing.T) {
	for name, want := range map[string]int64{"smollm-135m": 134_515_008, "qwen2.5-0.5b": 494_032_768, "tinyllama-1.1b": 1_100_048_384} {
		data, err := json.Marshal(familyPresets[name])
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := llama.ParseConfig(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var got int64
		for _, shape := range cfg.Spec().Want {
			n := int64(1)
			for _, d := range shape {
				n *= int64(d)
			}
			got += n
		}
		if got != want {
			t.Errorf("%s: %d parameters, want %d", name, got, want)
		}
	}
}

func TestTestModelFamilyFlag(t *testing.T) {
	_, stderr, status := cli("testmodel", "-out", t.TempDir()+"/m", "-vocab-from", tinyDir, "-family", "gemma")
	if status == 0 || !strings.Contains(stderr, `-family "gemma": want one of gpt2, qwen2.5-0.5b, smollm-135m, tinyllama-1.1b`) {
		t.Errorf("status %d, stderr %q", status, stderr)
	}
}
