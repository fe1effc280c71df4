package display

import (
	"strings"
	"testing"
)

func compareFixture() Comparison {
	return Comparison{
		Context: "next token after “is cute”", Change: "ablate layer 1 neurons 3, 17",
		Before: []Change{{Text: " dog", ID: 1, Before: 0.30, After: 0.10}, {Text: "<b>", ID: 2, Before: 0.20, After: 0.25}},
		After:  []Change{{Text: "<b>", ID: 2, Before: 0.20, After: 0.25}, {Text: " cat", ID: 3, Before: 0.05, After: 0.15}},
	}
}

func TestComparisonStatic(t *testing.T) {
	html := compareFixture().HTML()
	for _, want := range []string{">-20.00<", ">&#43;5.00<", ">&#43;10.00<", "&lt;b&gt;", "eg-down", "eg-up"} {
		if !strings.Contains(html, want) {
			t.Errorf("the comparison lacks %q", want)
		}
	}
	if strings.Contains(html, "<b>") {
		t.Error("a token's markup reached the page unescaped")
	}
	bad := compareFixture()
	bad.After[1].After = 1.5
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), `" cat" (id 3) has probability 1.5`) {
		t.Errorf("a probability of 1.5: got %v", err)
	}
}

func TestBrowserComparison(t *testing.T) {
	b := startBrowser(t)
	b.open(t, "compare", Page("Compare", compareFixture()))
	ready(t, b, 1)
	b.hover(t, `.eg-live tr.eg-cmp-row[data-id="2"]`)
	b.waitFor(t, "token 2 highlighted on both sides", `document.querySelectorAll(".eg-live tr.eg-cmp-row.eg-hl[data-id='2']").length === 2`)
	if n := eval[int](t, b, `document.querySelectorAll(".eg-live tr.eg-hl").length`); n != 2 {
		t.Errorf("%d rows highlighted, want the 2 of token 2", n)
	}
	b.checkClean(t)
}
