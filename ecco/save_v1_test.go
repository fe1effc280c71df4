package ecco

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestLoadOutputVersion1: a file in the format out.Save wrote before version 2 (activations as a
// bare array beside "activation_layers", the per-token lens under "logit_lens", no "schema")
// loads into the same Output as the version 2 file.
func TestLoadOutputVersion1(t *testing.T) {
	out, err := tiny(t).Generate("Hello, my dog is cute", GenerateOptions{Tokens: 3, Attribution: []Method{GradXInput}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := out.LensData(LensEcco); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	v2 := filepath.Join(dir, "v2.json")
	if err := out.Save(v2); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(v2)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	acts := doc["activations"].(map[string]any)
	doc["activations"], doc["activation_layers"] = acts["values"], acts["layers"]
	doc["logit_lens"] = doc["lens"]
	delete(doc, "lens")
	delete(doc, "schema")
	delete(doc, "generated_text")
	doc["version"] = 1
	v1 := filepath.Join(dir, "v1.json")
	data, err = json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(v1, data, 0o644); err != nil {
		t.Fatal(err)
	}
	want, err := LoadOutput(v2)
	if err != nil {
		t.Fatal(err)
	}
	got, err := LoadOutput(v1)
	if err != nil {
		t.Fatal(err)
	}
	got.GeneratedText = want.GeneratedText // version 1 did not store it
	if !reflect.DeepEqual(got.ActivationLayers, want.ActivationLayers) || !reflect.DeepEqual(got.Activations, want.Activations) ||
		!reflect.DeepEqual(got.Lens, want.Lens) || !reflect.DeepEqual(got.Attributions, want.Attributions) || got.Version != OutputVersion {
		t.Error("the version 1 file loads differently from the version 2 file")
	}
}
