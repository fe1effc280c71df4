package display

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func faithFixture() Faithfulness {
	return Faithfulness{
		Context: "3 tokens after “The capital of France is”", Baseline: "zero", Fractions: []float64{0.1, 0.2, 0.5},
		Methods: []MethodFaithfulness{
			{Method: "gradient", Comprehensiveness: []float64{0.1, 0.2, 0.3}, Sufficiency: []float64{0.3, 0.2, 0.1}, AOPCComprehensiveness: 0.2, AOPCSufficiency: 0.2},
			{Method: "occlusion", Comprehensiveness: []float64{0.4, 0.5, 0.6}, Sufficiency: []float64{0.05, 0.0, -0.05}, AOPCComprehensiveness: 0.5, AOPCSufficiency: 0},
			{Method: "attention_last", Comprehensiveness: []float64{0.0, 0.05, 0.1}, Sufficiency: []float64{-0.1, -0.1, -0.1}, AOPCComprehensiveness: 0.05, AOPCSufficiency: -0.1},
		},
	}
}

func TestFaithfulnessGolden(t *testing.T) {
	SeedIDs(42)
	checkGolden(t, "faithfulness", faithFixture().HTML())
}

// TestFaithfulnessStatic: the static chart ranks by AOPC comprehensiveness, its bars start at
// the zero line and their lengths are proportional to the values; bad data is refused.
func TestFaithfulnessStatic(t *testing.T) {
	f := faithFixture()
	l := f.layout(f.sorted("comprehensiveness"))
	var order []string
	for _, r := range l.Rows {
		order = append(order, r.Method)
	}
	if got := strings.Join(order, ","); got != "occlusion,gradient,attention_last" {
		t.Errorf("ranked %s, want occlusion,gradient,attention_last", got)
	}
	if got := f.sorted("sufficiency")[0].Method; got != "attention_last" {
		t.Errorf("by sufficiency %s first, want attention_last (lowest)", got)
	}
	// The scale spans [−0.1, 0.5] over faithBarW px: 0.5 is 5/6 of it, right of zero.
	occ, att := l.Rows[0], l.Rows[2]
	if occ.Comp.X != l.ZeroX || fmt.Sprintf("%.1f", occ.Comp.W) != fmt.Sprintf("%.1f", faithBarW*0.5/0.6) {
		t.Errorf("occlusion's bar at %g, %g wide; zero at %g, want %.1f wide", occ.Comp.X, occ.Comp.W, l.ZeroX, faithBarW*0.5/0.6)
	}
	if att.Suff.X+att.Suff.W != l.ZeroX || att.Suff.X != faithLabelW {
		t.Errorf("attention_last's negative sufficiency bar spans %g..%g, want %d..%g", att.Suff.X, att.Suff.X+att.Suff.W, faithLabelW, l.ZeroX)
	}
	html := f.HTML()
	for _, want := range []string{">0.5000<", ">-0.1000<", "ranked by comprehensiveness", "k=10%: comprehensiveness 0.4000, sufficiency 0.0500"} {
		if !strings.Contains(html, want) {
			t.Errorf("the chart lacks %q", want)
		}
	}
	bad := faithFixture()
	bad.Methods[1].Sufficiency = bad.Methods[1].Sufficiency[:2]
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), `"occlusion"`) {
		t.Errorf("two sufficiency values for three fractions: %v", err)
	}
}

// TestFaithfulnessEscaping: hostile method names and context stay text, in the static SVG and
// in the data, and the fragment holds exactly its two scripts.
func TestFaithfulnessEscaping(t *testing.T) {
	f := faithFixture()
	f.Context = hostile[0]
	for i := range f.Methods {
		f.Methods[i].Method = hostile[i]
	}
	out := f.HTML()
	lower := strings.ToLower(out)
	for _, bad := range []string{"<img", "<svg onload", "<!--", "<script>window"} {
		if strings.Contains(lower, bad) {
			t.Errorf("output contains raw %q", bad)
		}
	}
	if got := strings.Count(lower, "</script"); got != 2 {
		t.Errorf("%d closing script tags, want 2", got)
	}
	m := dataBlock.FindStringSubmatch(out)
	if m == nil {
		t.Fatal("no data block")
	}
	var decoded any
	if err := json.Unmarshal([]byte(m[1]), &decoded); err != nil {
		t.Fatal(err)
	}
	for _, s := range hostile[:3] {
		if !containsString(decoded, s) {
			t.Errorf("data block lost %q", s)
		}
	}
}

// TestSaliencyFoils: a contrastive saliency view names the target and the foil in its caption,
// escaped, and wants one foil per generated token.
func TestSaliencyFoils(t *testing.T) {
	toks := []Token{{Text: "The"}, {Text: " capital"}, {Text: " Paris"}, {Text: "."}}
	s := Saliency{Tokens: toks, NInput: 2, Method: "gradient", Scores: [][]float64{{0.3, 0.7}, {0.2, 0.3, 0.5}}, Foils: []string{" <b>Lyon", ","}}
	html := s.HTML()
	if !strings.Contains(html, "token #2 “ Paris” rather than foil “ &lt;b&gt;Lyon” over the 2 tokens") {
		t.Errorf("the caption does not name target and foil:\n%.600s", html)
	}
	s.Foils = s.Foils[:1]
	if err := s.Validate(); err == nil {
		t.Error("one foil for two generated tokens was accepted")
	}
}

// TestBrowserFaithfulness: the script draws the methods in the static order, re-ranks them by
// sufficiency on a click, and the contrastive saliency caption follows the selected step.
func TestBrowserFaithfulness(t *testing.T) {
	b := startBrowser(t)
	f := faithFixture()
	toks := []Token{{Text: "The"}, {Text: " capital"}, {Text: " Paris"}, {Text: "."}}
	s := Saliency{Tokens: toks, NInput: 2, Method: "gradient", Scores: [][]float64{{0.3, 0.7}, {0.2, 0.3, 0.5}}, Foils: []string{" Lyon", ","}}
	b.open(t, "faithfulness", Page("Faithfulness", f, s))
	ready(t, b, 2)
	rows := `Array.from(document.querySelectorAll(".eg-live .eg-faith-row")).map(e => e.getAttribute("data-method")).join(",")`
	if got := eval[string](t, b, rows); got != "occlusion,gradient,attention_last" {
		t.Errorf("script ranks %s, want occlusion,gradient,attention_last", got)
	}
	b.screenshot(t, "faithfulness", ".eg-faith")
	b.click(t, `.eg-live button[data-by="sufficiency"]`)
	b.waitFor(t, "the sufficiency order", `document.querySelector(".eg-faith").getAttribute("data-eg-order") === "sufficiency"`)
	if got := eval[string](t, b, rows); got != "attention_last,occlusion,gradient" {
		t.Errorf("by sufficiency the script ranks %s, want attention_last,occlusion,gradient", got)
	}
	b.hover(t, `.eg-saliency .eg-live .eg-tok[data-i="3"]`)
	b.waitFor(t, "step 1's caption", `document.querySelector(".eg-saliency .eg-live .eg-caption").textContent.includes("rather than foil \u201c,\u201d")`)
	b.checkClean(t)
}
