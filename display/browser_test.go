package display

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowser loads every view in headless Chromium: the script must build
// the view, hovering must recolour it as the data says, nothing may leave
// the page, and hostile tokens must stay text.
func TestBrowser(t *testing.T) {
	b := startBrowser(t)
	r := loadReference(t)
	SeedIDs(3)

	t.Run("sequence", func(t *testing.T) {
		s := r.sequence()
		b.open(t, "sequence", Page("Tokens", s))
		ready(t, b, 1)
		if n := eval[int](t, b, `document.querySelectorAll(".eg-live .eg-tok").length`); n != len(s.Tokens) {
			t.Fatalf("script built %d tokens, want %d", n, len(s.Tokens))
		}
		got := eval[[]string](t, b, `Array.from(document.querySelectorAll(".eg-live .eg-tok")).map(e => e.textContent)`)
		for i, tok := range s.Tokens {
			if got[i] != tokenLabel(tok.Text) {
				t.Fatalf("token %d shows %q, want %q", i, got[i], tokenLabel(tok.Text))
			}
		}
		// One ">>" right before the first generated token; one <br> per "\n".
		if eval[string](t, b, `document.querySelector(".eg-live .eg-marker").nextElementSibling.getAttribute("data-i")`) != fmt.Sprint(s.NInput) {
			t.Fatal(`">>" is not right before the first generated token`)
		}
		if n := eval[int](t, b, `document.querySelectorAll(".eg-live br").length`); n != 3 {
			t.Fatalf("%d line breaks, want 3 (one per newline token)", n)
		}
		b.screenshot(t, "sequence", ".eccogo")
	})

	t.Run("saliency", func(t *testing.T) {
		s := r.saliency(StyleMinimal)
		b.open(t, "saliency", Page("Saliency", s))
		ready(t, b, 1)
		// Before any hover the script shows step 0 exactly as the static HTML.
		static := b.colors(t, ".eg-static .eg-tok", "backgroundColor")
		live := b.colors(t, ".eg-live .eg-tok", "backgroundColor")
		for i := range s.NInput {
			if static[i] != live[i] {
				t.Fatalf("token %d: script colour %v differs from the static %v", i, live[i], static[i])
			}
		}
		checkStep(t, b, s, 0)
		b.screenshot(t, "saliency", ".eccogo")
		for _, step := range []int{3, 9, 1} {
			b.hover(t, fmt.Sprintf(`.eg-live .eg-tok[data-i="%d"]`, s.NInput+step))
			b.waitFor(t, fmt.Sprintf("step %d to be selected", step), fmt.Sprintf(`(document.querySelector(".eg-live .eg-tok.eg-sel") || {}).getAttribute?.("data-i") === "%d"`, s.NInput+step))
			checkStep(t, b, s, step)
		}
	})

	t.Run("saliency_detailed", func(t *testing.T) {
		s := r.saliency(StyleDetailed)
		b.open(t, "saliency_detailed", Page("Saliency", s))
		ready(t, b, 1)
		step := 5
		b.hover(t, fmt.Sprintf(`.eg-live .eg-tok[data-i="%d"]`, s.NInput+step))
		checkStep(t, b, s, step)
		widths := eval[[]string](t, b, `Array.from(document.querySelectorAll(".eg-live .eg-bar > span")).map(e => e.style.width)`)
		scaled := stepScale(s.Scores[step])
		for i, v := range scaled {
			var got float64
			if _, err := fmt.Sscanf(widths[i], "%g%%", &got); err != nil || math.Abs(got-100*v) > 0.05+1e-9 {
				t.Fatalf("bar %d is %q wide, want %.1f%%", i, widths[i], 100*v)
			}
		}
		b.screenshot(t, "saliency_detailed", ".eccogo")
	})

	t.Run("factors", func(t *testing.T) {
		f := r.factors()
		b.open(t, "factors", Page("Factors", f))
		ready(t, b, 1)
		static := b.colors(t, ".eg-static .eg-tok", "backgroundColor")
		sameColors(t, "dominant colouring", b.colors(t, ".eg-live .eg-tok", "backgroundColor"), static)
		b.screenshot(t, "factors", ".eccogo")
		norm := normalizeRows(f.Values)
		for _, k := range []int{2, 0, 3} {
			b.hover(t, fmt.Sprintf(`.eg-live .eg-spark[data-f="%d"]`, k))
			checkFactor(t, b.colors(t, ".eg-live .eg-tok", "backgroundColor"), norm[k], paletteColor(k))
		}
		b.mouse(t, 1, 1) // leaving the sparklines restores the dominant view
		sameColors(t, "after leaving", b.colors(t, ".eg-live .eg-tok", "backgroundColor"), static)
		b.click(t, `.eg-live .eg-spark[data-f="1"]`) // a tap pins a factor
		b.mouse(t, 1, 1)
		checkFactor(t, b.colors(t, ".eg-live .eg-tok", "backgroundColor"), norm[1], paletteColor(1))
		if n := eval[int](t, b, `document.querySelectorAll(".eg-live table.eg-neurons tbody tr").length`); n != 5 {
			t.Fatalf("neuron table has %d rows, want 5", n)
		}
		// As in Ecco, the sparklines sit left of the text when the width allows (900 px here).
		if gap := eval[float64](t, b, `document.querySelector(".eg-live .eg-fbody > .eg-tokens").getBoundingClientRect().left -
			document.querySelector(".eg-live .eg-sparks").getBoundingClientRect().right`); gap < 0 {
			t.Errorf("the text starts %.0f px left of the sparklines' right edge: want it to their right", -gap)
		}
		// Hovering a token shows its value in every factor.
		const p = 4
		b.hover(t, fmt.Sprintf(`.eg-live .eg-tok[data-i="%d"]`, p))
		tip := eval[string](t, b, `(() => { const e = document.querySelector(".eg-live .eg-tip");
			return e && getComputedStyle(e).display !== "none" ? e.innerText : ""; })()`)
		for k, row := range f.Values {
			if want := fmt.Sprintf("Factor %d: %.4f", k, row[p]); !strings.Contains(tip, want) {
				t.Errorf("hovering token %d: tooltip %q lacks %q", p, tip, want)
			}
		}
	})

	t.Run("factor table at 1200px", func(t *testing.T) {
		if err := chromedp.Do(b.ctx, chromedp.EmulateViewport(1200, 900)); err != nil {
			t.Fatal(err)
		}
		defer chromedp.Do(b.ctx, chromedp.EmulateViewport(900, 1400))
		f := r.factors()
		for len(f.TopNeurons) < 10 { // Ecco's default k = 10 columns
			f.TopNeurons = append(f.TopNeurons, f.TopNeurons[0])
			f.Values = append(f.Values, f.Values[0])
		}
		b.open(t, "factors10", Page("Factors", f))
		ready(t, b, 1)
		heights := eval[[]float64](t, b, `Array.from(document.querySelectorAll(".eg-live table.eg-neurons td")).map(e => e.getBoundingClientRect().height)`)
		for i, h := range heights {
			if h > 24 {
				t.Fatalf("neuron table cell %d is %.0f px high: it wraps", i, h)
			}
		}
	})

	t.Run("saliency tooltip", func(t *testing.T) {
		s := r.saliency(StyleMinimal)
		b.open(t, "saliency-tip", Page("Saliency", s))
		ready(t, b, 1)
		b.hover(t, `.eg-live .eg-tok[data-i="1"]`)
		tip := eval[string](t, b, `document.querySelector(".eg-live .eg-tip").innerText`)
		if want := fmt.Sprintf("%.1f%%", 100*s.Scores[0][1]); !strings.Contains(tip, want) {
			t.Errorf("tooltip of token 1 is %q, want its score %s", tip, want)
		}
	})

	t.Run("predictions", func(t *testing.T) {
		p := r.predictions(0)
		b.open(t, "predictions", Page("Layer predictions", p))
		ready(t, b, 1)
		if n := eval[int](t, b, `document.querySelectorAll(".eg-live .eg-cand").length`); n != 20 {
			t.Fatalf("script built %d candidates, want 20", n)
		}
		id := p.Layers[1].IDs[0]
		b.hover(t, fmt.Sprintf(`.eg-live .eg-layer:nth-of-type(2) .eg-cand[data-id="%d"]`, id))
		want := 0
		for _, l := range p.Layers {
			for _, x := range l.IDs {
				if x == id {
					want++
				}
			}
		}
		if n := eval[int](t, b, `document.querySelectorAll(".eg-live .eg-cand.eg-hl").length`); n != want {
			t.Fatalf("hovering id %d highlighted %d boxes, want %d", id, n, want)
		}
		caption := eval[string](t, b, `document.querySelector(".eg-live .eg-caption").textContent`)
		if !strings.Contains(caption, fmt.Sprintf("layer 1: %.1f%%", 100*p.Layers[1].Probs[0])) {
			t.Fatalf("caption %q does not give the layer 1 probability", caption)
		}
		b.mouse(t, 1, 1)
		b.screenshot(t, "predictions", ".eccogo")
	})

	t.Run("rankings", func(t *testing.T) {
		rk := r.rankings()
		b.open(t, "rankings", Page("Rankings", rk))
		ready(t, b, 1)
		checkGridBrowser(t, b, len(rk.Ranks)*len(rk.Ranks[0]))
		b.hover(t, `.eg-live g.eg-c[data-r="0"][data-c="2"]`)
		caption := eval[string](t, b, `document.querySelector(".eg-live .eg-caption").textContent`)
		if !strings.Contains(caption, fmt.Sprintf("rank %d", rk.Ranks[0][2])) {
			t.Fatalf("caption %q does not give rank %d", caption, rk.Ranks[0][2])
		}
		if eval[string](t, b, `document.querySelector(".eg-live .eg-row.eg-hl").getAttribute("data-r")`) != "0" {
			t.Fatal("row label of the hovered cell is not highlighted")
		}
		b.mouse(t, 1, 1)
		b.screenshot(t, "rankings", ".eccogo")
	})

	t.Run("heatmap", func(t *testing.T) {
		h := similarity()
		b.open(t, "heatmap", Page("Similarity", h))
		ready(t, b, 1)
		checkGridBrowser(t, b, 4)
		texts := eval[[]string](t, b, `Array.from(document.querySelectorAll(".eg-live g.eg-c text")).map(e => e.textContent)`)
		if strings.Join(texts, " ") != "1.00 0.82 0.82 1.00" {
			t.Fatalf("cells show %q", texts)
		}
		b.screenshot(t, "heatmap", ".eccogo")
	})

	t.Run("hostile", func(t *testing.T) {
		views := hostileViews()
		b.open(t, "hostile", Page(hostile[0], views...))
		ready(t, b, len(views))
		if eval[bool](t, b, `window.__egPwned !== undefined`) {
			t.Fatal("a hostile token ran script")
		}
		got := eval[[]string](t, b, `Array.from(document.querySelectorAll(".eg-sequence .eg-live .eg-tok")).map(e => e.textContent)`)
		for i, s := range hostile {
			if got[i] != tokenLabel(s) {
				t.Fatalf("hostile token %d shows %q, want %q", i, got[i], s)
			}
		}
		if title := eval[string](t, b, `document.title`); title != hostile[0] {
			t.Fatalf("page title %q, want the hostile text as text", title)
		}
	})

	t.Run("two_views", func(t *testing.T) {
		s := r.saliency("")
		b.open(t, "two", Page("Twice", s, s))
		ready(t, b, 2)
		b.hover(t, fmt.Sprintf(`.eccogo:nth-of-type(2) .eg-live .eg-tok[data-i="%d"]`, s.NInput+4))
		steps := eval[[]string](t, b, `Array.from(document.querySelectorAll(".eccogo")).map(e => e.getAttribute("data-eg-step"))`)
		if strings.Join(steps, ",") != "0,4" {
			t.Fatalf("steps of the two views = %v, want [0 4]: views interfere", steps)
		}
	})

	t.Run("notebook_like", func(t *testing.T) {
		// Jupyter front ends insert the output with innerHTML, then re-create
		// each script element so that it runs.
		frag, _ := json.Marshal(r.saliency("").HTML())
		b.open(t, "notebook", `<!DOCTYPE html><link rel="icon" href="data:,"><div id="out"></div><script>
			const host = document.getElementById("out");
			host.innerHTML = `+string(frag)+`;
			host.querySelectorAll("script").forEach(old => {
				const s = document.createElement("script");
				if (old.type) s.type = old.type;
				s.className = old.className;
				s.textContent = old.textContent;
				old.replaceWith(s);
			});
		</script>`)
		ready(t, b, 1)
		checkStep(t, b, r.saliency(""), 0)
	})

	b.checkClean(t)

	// The request check itself must see a request when there is one.
	t.Run("harness_sees_requests", func(t *testing.T) {
		b.open(t, "leaky", `<!DOCTYPE html><img src="http://example.invalid/x.png">`)
		if f := b.foreign(); len(f) != 1 || f[0] != "http://example.invalid/x.png" {
			t.Fatalf("request log caught %q, want the one image request", f)
		}
	})
}

// ready checks that the script of every view ran and replaced the static
// rendering.
func ready(t *testing.T, b *browser, views int) {
	t.Helper()
	got := eval[int](t, b, `document.querySelectorAll(".eccogo[data-eg-ready] > .eg-live").length`)
	hidden := eval[int](t, b, `Array.from(document.querySelectorAll(".eccogo > .eg-static")).filter(e => getComputedStyle(e).display === "none").length`)
	if got != views || hidden != views {
		t.Fatalf("%d views built by script and %d static renderings hidden, want %d", got, hidden, views)
	}
}

// checkStep checks that the prefix of generated token step is coloured by
// its scores: level = value/max, so the highest value is the most saturated,
// and that later tokens are not coloured.
func checkStep(t *testing.T, b *browser, s Saliency, step int) {
	t.Helper()
	colors := b.colors(t, ".eg-live .eg-tok", "backgroundColor")
	scores := s.Scores[step]
	scaled := stepScale(scores)
	worst, top := 0.0, 0
	for i := range scores {
		worst = max(worst, math.Abs(tintLevel(colors[i], saliencyColor)-scaled[i]))
		if scores[i] > scores[top] {
			top = i
		}
	}
	if worst > 1.0/235+1e-9 {
		t.Fatalf("step %d: colours off the attribution scale by up to %.4f; first levels %v", step, worst, scaled[:4])
	}
	if chroma(colors[top]) != chroma(saliencyColor) {
		t.Fatalf("step %d: the highest attribution (token %d) is not the most saturated", step, top)
	}
	// The selected token keeps the generated-token style; later ones are
	// muted (both from base.css).
	sel := s.NInput + step
	if colors[sel] != (rgb{0xfd, 0xe3, 0xee}) {
		t.Fatalf("step %d: selected token %d is coloured %v", step, sel, colors[sel])
	}
	if eval[string](t, b, `document.querySelector(".eg-live .eg-tok.eg-sel").getAttribute("data-i")`) != fmt.Sprint(sel) {
		t.Fatalf("step %d: token %d is not the one underlined", step, sel)
	}
	for i := sel + 1; i < len(colors); i++ {
		if colors[i] != (rgb{0xfa, 0xfa, 0xfa}) {
			t.Fatalf("step %d: token %d after the prefix is coloured %v, want muted", step, i, colors[i])
		}
	}
}

// checkFactor checks each token is the factor's colour at its level.
func checkFactor(t *testing.T, colors []rgb, levels []float64, pen rgb) {
	t.Helper()
	for p, c := range colors {
		if want := tint(pen, levels[p]); c != want {
			t.Fatalf("token %d: colour %v, want %v (level %.3f)", p, c, want, levels[p])
		}
	}
}

func sameColors(t *testing.T, what string, got, want []rgb) {
	t.Helper()
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("%s: token %d is %v, want %v", what, i, got[i], want[i])
		}
	}
}

// checkGridBrowser checks the script drew the cells with the static colours.
func checkGridBrowser(t *testing.T, b *browser, cells int) {
	t.Helper()
	live := b.colors(t, ".eg-live rect.eg-cell", "fill")
	static := b.colors(t, ".eg-static rect.eg-cell", "fill")
	if len(live) != cells || len(static) != cells {
		t.Fatalf("%d cells drawn by script, %d static, want %d", len(live), len(static), cells)
	}
	sameColors(t, "grid", live, static)
}

func chroma(c rgb) int {
	return int(max(c.R, c.G, c.B)) - int(min(c.R, c.G, c.B))
}
