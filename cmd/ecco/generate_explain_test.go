package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/ecco"
)

// explained is the part of `ecco generate -json` that -contrast and -faithfulness write, read
// by the agreed JSON names (the batch report reads the same fields).
type explained struct {
	TokenIDs     []int `json:"token_ids"`
	Faithfulness *struct {
		Baseline  string    `json:"baseline"`
		Fractions []float64 `json:"fractions"`
		Methods   map[string]struct {
			Comprehensiveness         [][]float64 `json:"comprehensiveness"`
			Sufficiency               [][]float64 `json:"sufficiency"`
			AOPCComprehensiveness     []float64   `json:"aopc_comprehensiveness"`
			AOPCSufficiency           []float64   `json:"aopc_sufficiency"`
			MeanAOPCComprehensiveness float64     `json:"mean_aopc_comprehensiveness"`
			MeanAOPCSufficiency       float64     `json:"mean_aopc_sufficiency"`
		} `json:"methods"`
	} `json:"faithfulness"`
	Contrastive *struct {
		Foil    string `json:"foil"`
		FoilIDs []int  `json:"foil_ids"`
		Methods map[string]struct {
			Probability [][]float64 `json:"probability"`
			Logit       [][]float64 `json:"logit"`
		} `json:"methods"`
		TargetProb []float64 `json:"target_prob"`
		FoilProb   []float64 `json:"foil_prob"`
	} `json:"contrastive"`
}

// apiTolerance bounds CLI − API differences: both run the same computation, but the portable
// kernels may sum in another order from one call to the next (float32 rounding, about 1e-8 of a
// probability).
const apiTolerance = 1e-7

// TestGenerateContrastAndFaithfulness: -contrast and -faithfulness write, under the agreed
// names, the numbers the API computes for the same greedy run (their values are tested against
// explicit forwards and separate gradients in package ecco), and -html shows both.
func TestGenerateContrastAndFaithfulness(t *testing.T) {
	want := loadGolden(t, 1)
	lm, err := ecco.FromPretrained(tinyDir)
	if err != nil {
		t.Fatal(err)
	}
	foil := lm.Tokenizer.Decode([]int{262, 257}) // " the a"
	methods := []ecco.Method{ecco.GradXInput, ecco.Gradient, ecco.Occlusion}
	dir := t.TempDir()
	path, page := filepath.Join(dir, "out.json"), filepath.Join(dir, "out.html")
	mustRun(t, "generate", "-model", tinyDir, "-prompt", want.Prompt, "-n", "2", "-json", path, "-html", page,
		"-attribution", "grad_x_input,gradient,occlusion", "-contrast", foil, "-faithfulness")
	var got explained
	readJSON(t, path, &got)
	out, err := lm.Generate(want.Prompt, ecco.GenerateOptions{Tokens: 2, Attribution: methods})
	if err != nil {
		t.Fatal(err)
	}
	c, err := out.ContrastFoil(foil, methods)
	if err != nil {
		t.Fatal(err)
	}
	f, err := out.ScoreFaithfulness(methods, nil)
	if err != nil {
		t.Fatal(err)
	}
	if gc := got.Contrastive; gc == nil || gc.Foil != foil || !slices.Equal(gc.FoilIDs, []int{262, 257}) || len(gc.Methods) != 2 {
		t.Fatalf("contrastive: %+v", got.Contrastive)
	}
	checkClose(t, "target_prob", got.Contrastive.TargetProb, c.TargetProb, apiTolerance)
	checkClose(t, "foil_prob", got.Contrastive.FoilProb, c.FoilProb, apiTolerance)
	for name, api := range c.Methods {
		for i := range api.Probability {
			checkClose(t, name+" probability", got.Contrastive.Methods[name].Probability[i], api.Probability[i], apiTolerance)
			checkClose(t, name+" logit", got.Contrastive.Methods[name].Logit[i], api.Logit[i], apiTolerance)
		}
	}
	gf := got.Faithfulness
	if gf == nil || gf.Baseline != "zero" || !slices.Equal(gf.Fractions, []float64{0.1, 0.2, 0.5}) || len(gf.Methods) != 3 {
		t.Fatalf("faithfulness: %+v", gf)
	}
	for name, api := range f.Methods {
		m := gf.Methods[name]
		for i := range api.Comprehensiveness {
			checkClose(t, name+" comprehensiveness", m.Comprehensiveness[i], api.Comprehensiveness[i], apiTolerance)
			checkClose(t, name+" sufficiency", m.Sufficiency[i], api.Sufficiency[i], apiTolerance)
		}
		checkClose(t, name+" AOPC", append(m.AOPCComprehensiveness, m.MeanAOPCSufficiency), append(api.AOPCComprehensiveness, api.MeanAOPCSufficiency), apiTolerance)
	}
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	for _, marker := range []string{`data-ecco-view="faith"`, "rather than foil"} {
		if !strings.Contains(string(html), marker) {
			t.Errorf("the -html page lacks %s", marker)
		}
	}
}

// TestGenerateContrastFoilTarget: a foil equal to the generated text gives zero scores.
func TestGenerateContrastFoilTarget(t *testing.T) {
	want := loadGolden(t, 1)
	first, _ := generate(t, "-prompt", want.Prompt, "-n", "2")
	lm, err := ecco.FromPretrained(tinyDir)
	if err != nil {
		t.Fatal(err)
	}
	same := lm.Tokenizer.Decode(first.TokenIDs[first.NInput:])
	path := filepath.Join(t.TempDir(), "out.json")
	mustRun(t, "generate", "-model", tinyDir, "-prompt", want.Prompt, "-n", "2", "-json", path, "-attribution", "gradient", "-contrast", same)
	var got explained
	readJSON(t, path, &got)
	for _, rows := range [][][]float64{got.Contrastive.Methods["gradient"].Probability, got.Contrastive.Methods["gradient"].Logit} {
		for i, row := range rows {
			if slices.ContainsFunc(row, func(v float64) bool { return v != 0 }) {
				t.Errorf("foil = generated text, step %d: %v, want zeros", i, row)
			}
		}
	}
}

// TestGenerateExplainRejects: bad combinations fail with a usage error before any generation.
func TestGenerateExplainRejects(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-faithfulness"}, "-faithfulness needs -attribution"},
		{[]string{"-attribution", "occlusion", "-contrast", " x"}, "-contrast needs a gradient method"},
		{[]string{"-attribution", "gradient", "-contrast", " x", "-stop-at-eos"}, "-stop-at-eos"},
		{[]string{"-attribution", "gradient", "-contrast", " the a b", "-n", "2"}, "tokenizes to 3 tokens"},
	} {
		args := append([]string{"generate", "-model", tinyDir, "-prompt", "Hi", "-json", filepath.Join(t.TempDir(), "o.json")}, c.args...)
		_, stderr, status := cli(args...)
		if status != exitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: status %d, stderr %q, want a usage error with %q", c.args, status, stderr, c.want)
		}
	}
}
