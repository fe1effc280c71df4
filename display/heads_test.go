package display

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// headFixture is a 2-layer, 4-head causal attention over 9 tokens, one of them hostile.
func headFixture() HeadView { return headFixtureSized(2, 4) }

// headFixtureSized is headFixture's tokens with layers × heads random causal attention maps.
func headFixtureSized(layers, heads int) HeadView {
	words := []string{"The", " cat", " <script>alert(1)</script>", " sat", " on", " the", " mat", ".", "\n"}
	v := HeadView{Layer: 0, Head: 0}
	for i, w := range words {
		v.Tokens = append(v.Tokens, Token{Text: w, ID: 100 + i})
	}
	rng := rand.New(rand.NewPCG(1, 2))
	t := len(words)
	v.Attention = make([][][][]float32, layers)
	for l := range v.Attention {
		v.Attention[l] = make([][][]float32, heads)
		for h := range v.Attention[l] {
			rows := make([][]float32, t)
			for q := range rows {
				rows[q] = make([]float32, t)
				var sum float64
				e := make([]float64, q+1)
				for k := range e {
					e[k] = math.Exp(3 * rng.NormFloat64())
					sum += e[k]
				}
				for k := range e {
					rows[q][k] = float32(e[k] / sum)
				}
			}
			v.Attention[l][h] = rows
		}
	}
	return v
}

// wantLines are the (query, key) pairs drawn for layer l, head h, keeping query q (or key k)
// only when it is ≥ 0.
func wantLines(v HeadView, l, h, q, k int) map[string]float64 {
	out := map[string]float64{}
	for qi, row := range v.Attention[l][h] {
		for ki, w := range row {
			if round4(w) >= minLineWeight && (q < 0 || q == qi) && (k < 0 || k == ki) {
				out[fmt.Sprintf("%d/%d/%d", h, qi, ki)] = round4(w)
			}
		}
	}
	return out
}

// drawn reads the lines of sel as head/query/key -> opacity.
func drawn(t *testing.T, b *browser, sel string) map[string]float64 {
	t.Helper()
	rows := eval[[][]string](t, b, `Array.from(document.querySelectorAll(`+fmt.Sprintf("%q", sel)+`)).map(e => [e.getAttribute("data-h"), e.getAttribute("data-q"), e.getAttribute("data-k"), e.getAttribute("stroke-opacity")])`)
	out := map[string]float64{}
	for _, r := range rows {
		var w float64
		fmt.Sscan(r[3], &w)
		out[r[0]+"/"+r[1]+"/"+r[2]] = w
	}
	return out
}

func sameLines(t *testing.T, what string, got, want map[string]float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d lines drawn, want %d", what, len(got), len(want))
	}
	for key, w := range want {
		if g, ok := got[key]; !ok || math.Abs(g-w) > 1e-9 {
			t.Fatalf("%s: line head/query/key %s has opacity %v (drawn: %v), want %v", what, key, g, ok, w)
		}
	}
}

func TestHeadViewStatic(t *testing.T) {
	v := headFixture()
	html := v.HTML()
	if strings.Contains(html, "<script>alert(1)") {
		t.Fatal("a token's markup reached the page unescaped")
	}
	if n, want := strings.Count(html, `<line class="eg-hv-line"`), len(wantLines(v, 0, 0, -1, -1)); n != want {
		t.Errorf("static rendering draws %d lines, want %d", n, want)
	}
	bad := v
	bad.Attention = [][][][]float32{{{{0.5}}}}
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "query rows") {
		t.Errorf("a 1×1 attention over 9 tokens: got %v", err)
	}
	bad = headFixture()
	bad.Head = 4
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "head 0..3") {
		t.Errorf("head 4 of 4: got %v", err)
	}
}

// TestBrowserHeadView: the script draws the same lines as the static rendering, selecting a
// head or a grid square redraws that head, and hovering a token keeps only its lines.
func TestBrowserHeadView(t *testing.T) {
	b := startBrowser(t)
	v := headFixture()
	b.open(t, "heads", Page("Heads", v))
	ready(t, b, 1)
	sameLines(t, "static", drawn(t, b, ".eg-static line.eg-hv-line"), wantLines(v, 0, 0, -1, -1))
	sameLines(t, "initial", drawn(t, b, ".eg-live line.eg-hv-line"), wantLines(v, 0, 0, -1, -1))
	if got := eval[string](t, b, `document.querySelector(".eg-live text.eg-hv-q[data-i='2']").textContent`); !strings.Contains(got, "<script>") {
		t.Fatalf("the hostile token shows as %q, want its text", got)
	}

	b.click(t, `.eg-live .eg-hv-head[data-h="2"]`)
	b.waitFor(t, "head 2 to be selected", `document.querySelector(".eccogo").getAttribute("data-eg-heads") === "2"`)
	sameLines(t, "head 2", drawn(t, b, ".eg-live line.eg-hv-line"), wantLines(v, 0, 2, -1, -1))

	b.hover(t, `.eg-live text.eg-hv-q[data-i="6"]`)
	b.waitFor(t, "query 6 to be isolated", `document.querySelector(".eg-live text.eg-hv-q.eg-hl") !== null`)
	sameLines(t, "head 2, query 6", drawn(t, b, ".eg-live line.eg-hv-line"), wantLines(v, 0, 2, 6, -1))

	b.hover(t, `.eg-live text.eg-hv-k[data-i="1"]`)
	b.waitFor(t, "key 1 to be isolated", `(document.querySelector(".eg-live text.eg-hv-k.eg-hl") || {}).getAttribute?.("data-i") === "1"`)
	sameLines(t, "head 2, key 1", drawn(t, b, ".eg-live line.eg-hv-line"), wantLines(v, 0, 2, -1, 1))

	b.mouse(t, 2, 2) // leave the drawing: every line of the head again
	b.click(t, `.eg-live canvas.eg-hv-thumb[data-l="1"][data-h="3"]`)
	b.waitFor(t, "layer 1 head 3 from the grid", `document.querySelector(".eccogo").getAttribute("data-eg-layer") === "1" && document.querySelector(".eccogo").getAttribute("data-eg-heads") === "3"`)
	sameLines(t, "grid: layer 1 head 3", drawn(t, b, ".eg-live line.eg-hv-line"), wantLines(v, 1, 3, -1, -1))
	if got := eval[string](t, b, `document.querySelector(".eg-live select.eg-hv-layer").value`); got != "1" {
		t.Errorf("the layer selector shows %q after the grid picked layer 1", got)
	}
	b.screenshot(t, "heads", ".eccogo")
	b.checkClean(t)
}
