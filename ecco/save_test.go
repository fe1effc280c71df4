package ecco

import (
	"bytes"
	"encoding/gob"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/display"
)

// TestSaveLoadViewsIdentical: every view drawn from a loaded Output equals the one drawn before
// saving, with no model attached to the loaded one.
func TestSaveLoadViewsIdentical(t *testing.T) {
	lm := tiny(t)
	out, err := lm.Generate("Hello, my dog is cute", GenerateOptions{Tokens: 4, Attribution: []Method{"grad_x_input", "ig"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := out.LensData(LensEcco); err != nil {
		t.Fatal(err)
	}
	loaded := savedAndLoaded(t, out)
	html := func(o *Output) []string {
		display.SeedIDs(7)
		views, err := o.Views(3)
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, v := range views {
			s = append(s, v.HTML())
		}
		return s
	}
	before, after := html(out), html(loaded)
	if len(before) != 6 {
		t.Errorf("%d views, want 6 (sequence, 2 saliency, NMF, rankings, layer predictions)", len(before))
	}
	for i := range before {
		if before[i] != after[i] {
			t.Errorf("view %d differs after save/load", i)
		}
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(out); err != nil {
		t.Fatal(err)
	}
	var viaGob Output
	if err := gob.NewDecoder(&buf).Decode(&viaGob); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(viaGob.Attributions, out.Attributions) || !reflect.DeepEqual(viaGob.TokenIDs, out.TokenIDs) {
		t.Error("gob round trip lost data")
	}
	if _, err := loaded.Attribution(Gradient); err == nil || !strings.Contains(err.Error(), "Attach") {
		t.Errorf("a missing attribution without a model: %v, want a hint to Attach", err)
	}
}

func TestLoadOutputErrors(t *testing.T) {
	dir := t.TempDir()
	const tokens = `"token_ids": [1, 2], "n_input_tokens": 1, "tokens": ["a", "b"], "partial": [false, false], "config": {"n_layer": 1}`
	for name, c := range map[string]struct{ content, want string }{
		"garbage.json":     {"{not json", "not an ecco Output"},
		"version.json":     {`{"version": 99, ` + tokens + `}`, "version 99, want 2"},
		"ninput.json":      {`{"version": 1, "token_ids": [1], "n_input_tokens": 5, "tokens": ["a"], "partial": [false]}`, "n_input_tokens 5"},
		"forward.json":     {`{"model": "m", "token_ids": [1, 2], "logits_last": [0.5]}`, "`ecco forward -json` on a causal model"},
		"schema.json":      {`{"schema": "other", "version": 2, ` + tokens + `}`, `schema "other"`},
		"activations.json": {`{"schema": "ecco-go/output", "version": 2, ` + tokens + `, "activations": {"shape": [1, 2, 1], "layers": [0], "values": [[[1]]]}}`, "activations: a layer has 1 neurons"},
		"lens.json":        {`{"schema": "ecco-go/output", "version": 2, ` + tokens + `, "lens": {"ecco": {"rank_of_generated_token": [[1]]}}}`, `lens "ecco" does not cover`},
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(c.content), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadOutput(path); err == nil || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error naming the file and saying %q", name, err, c.want)
		}
	}
}

func TestLazyAndForcedAttribution(t *testing.T) {
	lm := tiny(t)
	g := loadGolden(t, 3)
	out, err := lm.Generate(g.Prompt, GenerateOptions{Tokens: 4})
	if err != nil {
		t.Fatal(err)
	}
	lazy, err := out.Attribution(GradXInput) // not requested at Generate time
	if err != nil {
		t.Fatal(err)
	}
	continuation := lm.Tokenizer.Decode(out.GeneratedIDs())
	forced, err := lm.Attribute(g.Prompt, continuation, GradXInput)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(forced.TokenIDs, out.TokenIDs) {
		t.Fatalf("forced ids %v, generated %v", forced.TokenIDs, out.TokenIDs)
	}
	for i := range lazy {
		assertClose(t, "forced vs generated", forced.Attributions[string(GradXInput)][i], lazy[i], 1e-9)
	}
	if err := out.Saliency(); err != nil { // outside a notebook it only computes
		t.Fatal(err)
	}
	for _, bad := range []func() error{
		func() error { _, err := lm.Attribute(g.Prompt, "", GradXInput); return err },
		func() error { _, err := lm.Attribute("", "x", GradXInput); return err },
		func() error { _, err := lm.Attribute(g.Prompt, "x", Method("shapley")); return err },
		func() error {
			_, err := lm.Generate(g.Prompt, GenerateOptions{Tokens: 1, Attribution: []Method{"lime"}})
			return err
		},
	} {
		if err := bad(); err == nil {
			t.Error("bad input: no error")
		}
	}
	_, err = ParseMethod("lime")
	if err == nil || !strings.Contains(err.Error(), "grad_x_input") || !strings.Contains(err.Error(), "ig") {
		t.Errorf("unknown method: %v, want the list of known ones", err)
	}
}
