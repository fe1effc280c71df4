package ecco

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestResultCacheAcrossPrograms: with a result cache, a second LM (as a later notebook cell
// loads) gets the first one's Output back for the same call, attached to itself, with the
// attribution computed on it after generation; another prompt or option generates anew.
func TestResultCacheAcrossPrograms(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(testData, "models", "tiny-a")
	first, err := FromPretrained(model, WithActivations(), WithResultCache(dir))
	if err != nil {
		t.Fatal(err)
	}
	opts := GenerateOptions{Tokens: 3, Sample: true}
	out, err := first.Generate("Hello, my dog is cute", opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := out.Attribution(GradXInput); err != nil {
		t.Fatal(err)
	}

	second, err := FromPretrained(model, WithActivations(), WithResultCache(dir))
	if err != nil {
		t.Fatal(err)
	}
	again, err := second.Generate("Hello, my dog is cute", opts)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(again.TokenIDs, out.TokenIDs) || again.Options.Seed != out.Options.Seed {
		t.Fatalf("the kept sample %v (seed %d) came back as %v (seed %d)", out.TokenIDs, out.Options.Seed, again.TokenIDs, again.Options.Seed)
	}
	if again.model() != second {
		t.Error("the kept Output is not attached to the LM that asked for it")
	}
	if _, ok := again.Attributions[string(GradXInput)]; !ok {
		t.Error("the attribution computed after generation was not kept with the Output")
	}
	if _, err := again.LensData(LensEcco); err != nil { // needs the attached model
		t.Fatal(err)
	}
	other, err := second.Generate("Hello, my dog is cute", GenerateOptions{Tokens: 2})
	if err != nil {
		t.Fatal(err)
	}
	if other.NGenerated() != 2 {
		t.Errorf("other options returned a kept Output of %d tokens", other.NGenerated())
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 2 {
		t.Errorf("the cache holds %d entries (%v), want one per distinct call (2)", len(entries), err)
	}
}

// TestNoResultCacheOutsideNotebooks: without GoNB and without WithResultCache, nothing is kept.
func TestNoResultCacheOutsideNotebooks(t *testing.T) {
	t.Setenv("GONB_TMP_DIR", "")
	if lm := tiny(t); lm.store != nil {
		t.Errorf("a result store outside a notebook: %+v", lm.store)
	}
	lm, err := FromPretrained(filepath.Join(testData, "models", "tiny-a"))
	if err != nil {
		t.Fatal(err)
	}
	if lm.store != nil {
		t.Errorf("a result store outside a notebook: %+v", lm.store)
	}
	dir := t.TempDir()
	t.Setenv("GONB_TMP_DIR", dir)
	lm, err = FromPretrained(filepath.Join(testData, "models", "tiny-a"))
	if err != nil {
		t.Fatal(err)
	}
	if lm.store == nil || lm.store.dir != filepath.Join(dir, "ecco-results") {
		t.Errorf("in a notebook the store is %+v, want %s/ecco-results", lm.store, dir)
	}
}

func TestLMString(t *testing.T) {
	for model, want := range map[string]string{
		"tiny-a":      `ecco.LM{gpt2 causal LM %q: 2 layers, width 64, vocab 50257}`,
		"tiny-bert-a": `ecco.LM{bert encoder %q: 2 layers, width 64, vocab 2000}`,
	} {
		lm := reference(t, model)
		if got, want := lm.String(), fmt.Sprintf(want, lm.Name); got != want {
			t.Errorf("%s: String() = %q, want %q", model, got, want)
		}
	}
}
