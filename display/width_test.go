package display

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ecco-go/ecco/internal/testenv"
)

// wideViews are every view at the sizes real runs give: Ecco's default 10 NMF factors with
// their top-neuron table, 10 candidates per layer, rankings over 35 generated tokens, a
// 12-layer × 12-head attention grid.
func wideViews(r *reference) []View {
	f := r.factors()
	for len(f.TopNeurons) < 10 {
		f.TopNeurons = append(f.TopNeurons, f.TopNeurons[0])
		f.Values = append(f.Values, f.Values[0])
	}
	ranks := r.rankings()
	for len(ranks.ColLabels) < 35 {
		n := len(ranks.ColLabels)
		ranks.ColLabels = append(ranks.ColLabels, ranks.ColLabels[n%len(r.Greedy.Decoded)])
		ranks.TopLabels = append(ranks.TopLabels, ranks.TopLabels[n%len(r.Greedy.Decoded)])
		for l := range ranks.Ranks {
			ranks.Ranks[l] = append(ranks.Ranks[l], ranks.Ranks[l][n%len(r.Greedy.Decoded)])
		}
	}
	live := NewLive(r.allTokens()[:r.nInput()])
	return []View{r.sequence(), r.saliency(StyleMinimal), r.saliency(StyleDetailed), f, r.predictions(0), ranks,
		similarity(), headFixtureSized(12, 12), compareFixture(), live}
}

// exportNotebook writes a notebook with one cell per view, its output the view's HTML as GoNB
// sends it, and returns nbconvert's HTML export of it with the given template.
func exportNotebook(t *testing.T, views []View, template string) string {
	t.Helper()
	jupyter, err := exec.LookPath("jupyter")
	if err == nil {
		err = exec.Command(jupyter, "nbconvert", "--version").Run()
	}
	if err != nil {
		msg := "jupyter nbconvert not found, so the views cannot be checked in its HTML export: " + err.Error()
		if testenv.InCI() {
			t.Fatal(msg + " (CI is set, so this fails instead of skipping)")
		}
		t.Skip(msg)
	}
	var cells []map[string]any
	for i, v := range views {
		cells = append(cells, map[string]any{
			"cell_type": "code", "execution_count": i + 1, "id": fmt.Sprintf("c%d", i), "metadata": map[string]any{},
			"source":  fmt.Sprintf("view%d.Display()", i),
			"outputs": []any{map[string]any{"output_type": "display_data", "metadata": map[string]any{}, "data": map[string]any{"text/html": v.HTML()}}},
		})
	}
	nb := map[string]any{"cells": cells, "nbformat": 4, "nbformat_minor": 5, "metadata": map[string]any{
		"kernelspec": map[string]any{"display_name": "Go (gonb)", "language": "go", "name": "gonb"}}}
	data, err := json.Marshal(nb)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "views.ipynb")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(jupyter, "nbconvert", "--to", "html", "--template", template, "--output-dir", dir, path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("jupyter nbconvert --template %s: %v\n%s", template, err, out)
	}
	page, err := os.ReadFile(filepath.Join(dir, "views.html"))
	if err != nil {
		t.Fatal(err)
	}
	return string(page)
}

// overflowJS measures every view in the page: its width and scroll width, and its output
// area's client width (the element the notebook gives the output).
const overflowJS = `Array.from(document.querySelectorAll(".eccogo")).map(w => {
	const box = w.parentElement;
	return {view: w.getAttribute("data-ecco-view") || w.className, width: w.getBoundingClientRect().width, scroll: w.scrollWidth,
		client: w.clientWidth, outer: box.clientWidth, outerScroll: box.scrollWidth};
})`

type viewWidth struct {
	View        string  `json:"view"`
	Width       float64 `json:"width"`
	Scroll      int     `json:"scroll"`
	Client      int     `json:"client"`
	Outer       int     `json:"outer"`
	OuterScroll int     `json:"outerScroll"`
}

// TestViewsFitExportWidth renders every view inside nbconvert's HTML export (JupyterLab's CSS in
// the lab template, classic Notebook's in the classic one) and in Page's document at 800 and
// 1,400 px: no view may
// be wider than its output area nor scroll sideways as a whole; wide parts (the neuron table,
// grids, the head view) scroll inside their own wrappers.
func TestViewsFitExportWidth(t *testing.T) {
	r := loadReference(t)
	SeedIDs(5)
	views := wideViews(r)
	// Besides the two exports, Page's own document: the views as plain blocks, as a host that
	// inserts outputs into block containers shows them.
	pages := map[string]string{"page": Page("Views", views...)}
	for _, template := range []string{"lab", "classic"} {
		pages[template] = exportNotebook(t, views, template)
	}
	b := startBrowser(t)
	defer chromedp.Do(b.ctx, chromedp.EmulateViewport(900, 1400))
	for _, template := range []string{"lab", "classic", "page"} {
		for _, width := range []int64{800, 1400} {
			t.Run(fmt.Sprintf("%s/%dpx", template, width), func(t *testing.T) {
				if err := chromedp.Do(b.ctx, chromedp.EmulateViewport(width, 1000)); err != nil {
					t.Fatal(err)
				}
				b.open(t, fmt.Sprintf("export-%s-%d", template, width), pages[template])
				// Every view but the live one, which is static HTML, builds itself with its script.
				b.waitFor(t, "every view to be built", fmt.Sprintf(`document.querySelectorAll(".eccogo[data-eg-ready]").length === %d`, len(views)-1))
				got := eval[[]viewWidth](t, b, overflowJS)
				if len(got) != len(views) {
					t.Fatalf("%d views in the export, want %d", len(got), len(views))
				}
				// A view that fits leaves its output area as wide as the narrowest one's.
				narrowest := got[0].Outer
				for _, v := range got {
					narrowest = min(narrowest, v.Outer)
				}
				for _, v := range got {
					if v.Width > float64(v.Outer)+0.5 || v.Scroll > v.Client || v.OuterScroll > v.Outer || v.Outer > narrowest {
						t.Errorf("%s: %.0f px wide, scrolls %d of %d px, in an output area of %d px (the narrowest: %d) that scrolls %d: want it to fit",
							v.View, v.Width, v.Scroll, v.Client, v.Outer, narrowest, v.OuterScroll)
					}
				}
				// The fixture is wide enough to need the wrappers: at 800 px the neuron table and
				// the rankings grid scroll inside them.
				if width == 800 {
					wide := eval[[]bool](t, b, `[".eg-live .eg-neurons-wrap", ".eccogo[data-ecco-view=rankings] .eg-live .eg-scroll"].map(s => { const e = document.querySelector(s); return !!e && e.scrollWidth > e.clientWidth; })`)
					if !wide[0] || !wide[1] {
						t.Errorf("neuron table, rankings grid scroll in their wrappers: %v; want both (the fixture is meant to be wider than the page)", wide)
					}
				}
				if page := eval[[]int](t, b, `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`); page[0] > page[1] {
					t.Errorf("the page scrolls sideways: %d px of content in %d", page[0], page[1])
				}
			})
		}
	}
	var errs []string
	b.mu.Lock()
	for _, e := range b.errs {
		if !strings.Contains(e, "require") { // the export's RequireJS loader, blocked offline
			errs = append(errs, e)
		}
	}
	b.mu.Unlock()
	if len(errs) > 0 {
		t.Errorf("script errors: %q", errs)
	}
}
