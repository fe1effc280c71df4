package display

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// hostile are texts a tokenizer can produce that would break naive HTML/JS
// building; the first one sets a global if it ever runs.
var hostile = []string{
	"</script><img src=x onerror=\"window.__egPwned=1\">",
	"\"'`",
	"<!--",
	"a\u2028b\u2029c",
	"<script>window.__egPwned=2</script>",
	"]]><svg onload=window.__egPwned=3>",
}

// hostileViews puts the hostile texts in every text field of every view.
func hostileViews() []View {
	var toks []Token
	for i, s := range hostile {
		toks = append(toks, Token{Text: s, ID: i})
	}
	n := len(toks)
	toks = append(toks, toks...) // second half "generated"
	scores := make([][]float64, n)
	for i := range scores {
		scores[i] = make([]float64, n+i)
		for j := range scores[i] {
			scores[i][j] = float64(j%5+1) / 10
		}
	}
	vals := make([][]float64, 3)
	for k := range vals {
		vals[k] = make([]float64, len(toks))
		for p := range vals[k] {
			vals[k][p] = float64((p+k)%4) / 3
		}
	}
	target := toks[0]
	probs := make([]float64, n)
	ids := make([]int, n)
	for i := range probs {
		probs[i], ids[i] = 0.1, i
	}
	ranks := [][]int{make([]int, n), make([]int, n)}
	hv := [][]float64{make([]float64, n), make([]float64, n)}
	for i := range n {
		ranks[0][i], ranks[1][i] = i+1, 1
		hv[0][i], hv[1][i] = 0.5, 1
	}
	return []View{
		Sequence{Tokens: toks, NInput: n},
		Saliency{Tokens: toks, NInput: n, Method: hostile[0], Scores: scores},
		Saliency{Tokens: toks, NInput: n, Method: hostile[1], Scores: scores, Style: StyleDetailed},
		Factors{Tokens: toks, NInput: n, Values: vals, TopNeurons: [][]Neuron{{{1, 2, 0.5}}, {}, {{0, 7, 1.25}}}},
		LayerPredictions{Position: n, Target: &target, Layers: []LayerTopK{{Layer: 0, Tokens: hostile, IDs: ids, Probs: probs}}},
		Rankings{Title: hostile[0], RowLabels: []string{hostile[2], hostile[4]}, ColLabels: hostile, TopLabels: hostile, Ranks: ranks},
		Heatmap{Title: hostile[4], RowLabels: []string{hostile[0], hostile[3]}, ColLabels: hostile, Values: hv},
	}
}

var (
	scriptBlock = regexp.MustCompile(`(?s)<script\b[^>]*>(.*?)</script>`)
	dataBlock   = regexp.MustCompile(`(?s)<script type="application/json" class="eg-data">(.*?)</script>`)
)

func TestEscaping(t *testing.T) {
	for i, v := range hostileViews() {
		if err := v.(validator).Validate(); err != nil {
			t.Fatalf("view %d: %v", i, err)
		}
		out := v.HTML()
		lower := strings.ToLower(out)
		for _, bad := range []string{"<img", "<svg onload", "<!--", "<script>window"} {
			if strings.Contains(lower, bad) {
				t.Errorf("view %d (%T): output contains raw %q", i, v, bad)
			}
		}
		// U+2028/9 end a JS string literal in older engines: none may be raw
		// inside a script (in HTML text they are harmless).
		for _, block := range scriptBlock.FindAllStringSubmatch(out, -1) {
			if strings.ContainsAny(block[1], "\u2028\u2029") {
				t.Errorf("view %d (%T): raw U+2028/U+2029 inside a script block", i, v)
			}
		}
		// Exactly two script elements per fragment (data and code): a token
		// that closed one early would add a "</script>".
		if got := strings.Count(lower, "</script"); got != 2 {
			t.Errorf("view %d (%T): %d closing script tags, want 2", i, v, got)
		}
		if got := len(scriptBlock.FindAllString(out, -1)); got != 2 {
			t.Errorf("view %d (%T): %d script blocks, want 2", i, v, got)
		}
		// The JSON block must give back the hostile strings intact.
		m := dataBlock.FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("view %d (%T): no data block", i, v)
		}
		var decoded any
		if err := json.Unmarshal([]byte(m[1]), &decoded); err != nil {
			t.Fatalf("view %d (%T): data block is not JSON: %v\n%.300s", i, v, err, m[1])
		}
		for _, s := range hostile[:3] {
			if !containsString(decoded, s) {
				t.Errorf("view %d (%T): data block lost the text %q", i, v, s)
			}
		}
	}
}

// containsString reports whether s occurs as a string anywhere in v.
func containsString(v any, s string) bool {
	switch x := v.(type) {
	case string:
		return x == s
	case []any:
		for _, e := range x {
			if containsString(e, s) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if containsString(e, s) {
				return true
			}
		}
	}
	return false
}

// TestEscapingStatic checks the static rendering shows hostile text as text.
func TestEscapingStatic(t *testing.T) {
	out := Sequence{Tokens: []Token{{Text: hostile[0]}}, NInput: 1}.HTML()
	want := `<span class="eg-txt">&lt;/script&gt;&lt;img src=x onerror=&#34;window.__egPwned=1&#34;&gt;</span>`
	if !strings.Contains(out, want) {
		t.Fatalf("static token not escaped as expected; want %s in\n%.2000s", want, out)
	}
	out = errorHTML(errString(hostile[0]))
	if strings.Contains(out, "<img") {
		t.Fatalf("error box not escaped: %s", out)
	}
	out = Page(hostile[0], Sequence{Tokens: []Token{{Text: "x"}}, NInput: 1})
	if strings.Contains(out, "<img") || strings.Count(out, "</script") != 2 {
		t.Fatalf("page title not escaped: %.500s", out)
	}
}

type errString string

func (e errString) Error() string { return string(e) }
