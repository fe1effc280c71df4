package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/ecco"
)

// roundTrip passes v through JSON into out.
func roundTrip(v, out any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, out)
}

// TestBatchFoil: a batch line with a "foil" carries the "contrastive" field `ecco generate
// -contrast` writes for the same prompt, number for number; with a "target" too, the one the
// API computes on that target; a foil of the wrong length sets the record aside.
func TestBatchFoil(t *testing.T) {
	lm, err := ecco.FromPretrained(tinyDir)
	if err != nil {
		t.Fatal(err)
	}
	prompt, foil, target := "Question 1: the dog is", lm.Tokenizer.Decode([]int{262, 257}), " very big"
	lines := []string{
		fmt.Sprintf(`{"id": "gen", "prompt": %q, "foil": %q}`, prompt, foil),
		fmt.Sprintf(`{"id": "tgt", "prompt": %q, "target": %q, "foil": %q}`, prompt, target, foil),
		fmt.Sprintf(`{"id": "short", "prompt": %q, "foil": " the"}`, prompt),
	}
	in := filepath.Join(t.TempDir(), "in.jsonl")
	if err := os.WriteFile(in, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "run")
	_, stderr, status := cli("batch", "-model", tinyDir, "-in", in, "-out", dir, "-n", "2", "-attribution", "grad_x_input,gradient")
	if status != exitError || !strings.Contains(stderr, "records failed: 1 of 3") {
		t.Fatalf("status %d, stderr %q: want the short foil's record to fail", status, stderr)
	}
	errs, _ := os.ReadFile(filepath.Join(dir, "errors.jsonl"))
	if !strings.Contains(string(errs), `"line":3,"id":"short"`) || !strings.Contains(string(errs), "foil") {
		t.Errorf("errors.jsonl: %s", errs)
	}
	got := map[string]explained{}
	for _, line := range bytes.Split(bytes.TrimSpace(results(t, dir)), []byte("\n")) {
		var rec struct {
			ID string `json:"id"`
			explained
		}
		if err := json.Unmarshal(line, &rec); err != nil {
			t.Fatal(err)
		}
		got[rec.ID] = rec.explained
	}
	single := filepath.Join(t.TempDir(), "single.json")
	mustRun(t, "generate", "-model", tinyDir, "-prompt", prompt, "-n", "2", "-json", single, "-attribution", "grad_x_input,gradient", "-contrast", foil)
	var want explained
	readJSON(t, single, &want)
	out, err := lm.Attribute(prompt, target)
	if err != nil {
		t.Fatal(err)
	}
	api, err := out.ContrastFoil(foil, []ecco.Method{ecco.GradXInput, ecco.Gradient})
	if err != nil {
		t.Fatal(err)
	}
	var fromAPI explained
	if err := roundTrip(struct {
		C *ecco.Contrastive `json:"contrastive"`
	}{api}, &fromAPI); err != nil {
		t.Fatal(err)
	}
	for id, w := range map[string]explained{"gen": want, "tgt": fromAPI} {
		g := got[id].Contrastive
		if g == nil {
			t.Fatalf("record %s has no contrastive field", id)
		}
		if g.Foil != w.Contrastive.Foil || fmt.Sprint(g.FoilIDs) != fmt.Sprint(w.Contrastive.FoilIDs) || len(g.Methods) != len(w.Contrastive.Methods) {
			t.Fatalf("record %s: foil %q %v, %d methods; want %q %v, %d", id, g.Foil, g.FoilIDs, len(g.Methods), w.Contrastive.Foil, w.Contrastive.FoilIDs, len(w.Contrastive.Methods))
		}
		checkClose(t, id+" target_prob", g.TargetProb, w.Contrastive.TargetProb, apiTolerance)
		checkClose(t, id+" foil_prob", g.FoilProb, w.Contrastive.FoilProb, apiTolerance)
		for name, m := range w.Contrastive.Methods {
			for i := range m.Probability {
				checkClose(t, id+" "+name+" probability", g.Methods[name].Probability[i], m.Probability[i], apiTolerance)
				checkClose(t, id+" "+name+" logit", g.Methods[name].Logit[i], m.Logit[i], apiTolerance)
			}
		}
	}
}
