package ecco

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/display"
)

// TestExplanationViews: after ScoreFaithfulness and ContrastFoil, Views (and so WriteHTML)
// holds the faithfulness ranking, whose bars are the means over steps, and the contrastive
// saliency views naming the foil; a loaded Output without a model draws them too.
func TestExplanationViews(t *testing.T) {
	lm, g := tiny(t), loadGolden(t, 1)
	out, err := lm.Attribute(g.Prompt, lm.Tokenizer.Decode(g.Greedy.IDs[:2]), Gradient, Occlusion)
	if err != nil {
		t.Fatal(err)
	}
	f, err := out.ScoreFaithfulness([]Method{Gradient, Occlusion}, nil)
	if err != nil {
		t.Fatal(err)
	}
	foil := lm.Tokenizer.Decode([]int{262, 257}[:out.NGenerated()])
	if _, err := out.ContrastFoil(foil, []Method{Gradient}); err != nil {
		t.Fatal(err)
	}
	for _, o := range []*Output{out, savedAndLoaded(t, out)} {
		views, err := o.Views(0)
		if err != nil {
			t.Fatal(err)
		}
		var fv *display.Faithfulness
		contrasts := 0
		for _, v := range views {
			switch v := v.(type) {
			case display.Faithfulness:
				fv = &v
			case display.Saliency:
				if v.Foils != nil {
					contrasts++
					if !strings.Contains(v.HTML(), "rather than foil") {
						t.Error("a contrast view does not name its foil")
					}
				}
			}
		}
		if fv == nil || len(fv.Methods) != 2 || contrasts != 2 {
			t.Fatalf("views: faithfulness %v, %d contrast views (want 2: probability and logit)", fv != nil, contrasts)
		}
		for _, m := range fv.Methods {
			want := f.Methods[m.Method]
			for k := range f.Fractions {
				mean := (want.Comprehensiveness[0][k] + want.Comprehensiveness[1][k]) / 2
				if math.Abs(m.Comprehensiveness[k]-mean) > 1e-15 || m.AOPCSufficiency != want.MeanAOPCSufficiency {
					t.Errorf("%s k=%g: bar %g, mean over steps %g", m.Method, f.Fractions[k], m.Comprehensiveness[k], mean)
				}
			}
		}
	}
}

// TestLoadOutputChecksExplanations: a saved faithfulness or contrast that does not fit the
// Output's steps (a hand-edited file) fails LoadOutput with an error naming the field.
func TestLoadOutputChecksExplanations(t *testing.T) {
	lm, g := tiny(t), loadGolden(t, 1)
	out, err := lm.Attribute(g.Prompt, " a", Gradient)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := out.ScoreFaithfulness([]Method{Gradient}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := out.ContrastFoil(" the", []Method{Gradient}); err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string]func(o *Output){
		"faithfulness": func(o *Output) { o.Faithfulness.Methods["gradient"].Sufficiency[0] = []float64{0.1} },
		"contrastive":  func(o *Output) { o.Contrastive.Methods["gradient"].Logit[0] = []float64{0.1} },
	} {
		bad := savedAndLoaded(t, out)
		edit(bad)
		path := filepath.Join(t.TempDir(), "bad.json")
		if err := bad.Save(path); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadOutput(path); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("a malformed %s: LoadOutput gave %v", name, err)
		}
	}
}
