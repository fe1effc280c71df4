package display

import (
	"strings"
	"testing"
)

// datasetFixture is a report with every section and hostile text in every field that comes
// from the data.
func datasetFixture() Dataset {
	return Dataset{
		Summary: `3 records from <b>run</b> · methods: grad_x_input, saliency`,
		Distance: []DistanceChart{
			{Method: "grad_x_input", Bars: []DistanceBar{{"1", 0.5, 30}, {"2", 0.25, 30}, {"3–4", 0.2, 28}, {"5+", 0.05, 9}}},
			{Method: "saliency", Bars: []DistanceBar{{"1", 0.3, 30}, {"2", 0.7, 30}}},
		},
		TopTokens: []TokenTable{
			{Method: "grad_x_input", Rows: []TokenRow{{" the", 4.5, 10}, {"<script>alert(1)</script>", 2.25, 40}, {"\n", 1, 3}}},
			{Method: "saliency", Rows: []TokenRow{{" a", 1.5, 2}}},
		},
		Faithfulness: []FaithfulnessRow{{"grad_x_input", 3, 0.42, 0.11}, {"saliency", 2, 0.3, 0.2}},
		FaithNote:    "baseline: zero",
		Factors: []DatasetFactor{
			{Index: 0, Neurons: "1:7 1:3", Examples: []FactorExample{{ID: `q"1<i>`, Strength: 2.5, Tokens: []string{" dog", "<img src=x onerror=alert(2)>"}}}},
			{Index: 1, Neurons: "1:9", Examples: []FactorExample{{ID: "q2", Strength: 1, Tokens: []string{" cat"}}}},
		},
		FactorNote: "2 factors of layer [1]",
	}
}

// TestBrowserDataset loads the dataset report page offline: every section renders with the
// bars, rows and factors of the data, hostile strings stay text, sorting a token table by
// count reorders it, and nothing is requested or logged as an error.
func TestBrowserDataset(t *testing.T) {
	b := startBrowser(t)
	d := datasetFixture()
	b.open(t, "dataset", Page("Ecco · dataset report", d))
	ready(t, b, 1)
	headings := eval[[]string](t, b, `Array.from(document.querySelectorAll(".eg-live h2")).map(e => e.textContent)`)
	want := []string{"Attribution by distance from the predicted token", "Most-attributed tokens", "Faithfulness", "Neuron factors across the dataset (NMF)"}
	if strings.Join(headings, "|") != strings.Join(want, "|") {
		t.Fatalf("sections %q, want %q", headings, want)
	}
	// Bars: one rect per bucket, heights proportional to the shares and drawn (non-zero box).
	heights := eval[[]float64](t, b, `Array.from(document.querySelectorAll(".eg-live .eg-ds-chart rect")).map(e => e.getBoundingClientRect().height)`)
	var shares []float64
	for _, c := range d.Distance {
		for _, bar := range c.Bars {
			shares = append(shares, bar.Share)
		}
	}
	if len(heights) != len(shares) {
		t.Fatalf("%d bars drawn, want %d", len(heights), len(shares))
	}
	for i, h := range heights {
		if diff := h - shares[i]*chartHeight; diff > 1 || diff < -1 {
			t.Errorf("bar %d is %.1f px tall, want %.1f (share %v)", i, h, shares[i]*chartHeight, shares[i])
		}
	}
	cells := eval[[]string](t, b, `Array.from(document.querySelectorAll(".eg-live table.eg-ds-toktable")[0].querySelectorAll("td.eg-ds-tok")).map(e => e.textContent)`)
	if strings.Join(cells, "|") != " the|<script>alert(1)</script>|↵" {
		t.Errorf("token cells %q: hostile text must show as text", cells)
	}
	if n := eval[int](t, b, `document.querySelectorAll(".eg-live script, .eg-live img").length`); n != 0 {
		t.Errorf("%d script or img elements inside the view: data became markup", n)
	}
	b.click(t, `.eg-live table.eg-ds-toktable th[data-sort]:nth-child(3)`)
	b.waitFor(t, "the table to sort", `document.querySelector(".eg-live table.eg-ds-toktable").getAttribute("data-sorted") === "2"`)
	counts := eval[[]string](t, b, `Array.from(document.querySelectorAll(".eg-live table.eg-ds-toktable")[0].querySelectorAll("tbody tr td:nth-child(3)")).map(e => e.textContent)`)
	if strings.Join(counts, ",") != "40,10,3" {
		t.Errorf("counts after sorting by count: %v, want 40,10,3", counts)
	}
	faith := eval[[]string](t, b, `Array.from(document.querySelectorAll(".eg-live .eg-ds-faith td")).map(e => e.textContent)`)
	if strings.Join(faith, "|") != "grad_x_input|3|0.4200|0.1100|saliency|2|0.3000|0.2000" {
		t.Errorf("faithfulness cells %q", faith)
	}
	examples := eval[[]string](t, b, `Array.from(document.querySelectorAll(".eg-live .eg-ds-ex")).map(e => e.textContent)`)
	if len(examples) != 2 || examples[0] != `q"1<i>: 2.5 ·  dog · <img src=x onerror=alert(2)>` {
		t.Errorf("factor examples %q", examples)
	}
	b.screenshot(t, "dataset", ".eccogo")
	b.checkClean(t)

	// Without faithfulness and factors those sections are left out.
	d.Faithfulness, d.Factors = nil, nil
	b.open(t, "dataset-lean", Page("report", d))
	if n := eval[int](t, b, `document.querySelectorAll(".eg-live h2").length`); n != 2 {
		t.Errorf("%d sections without faithfulness and factors, want 2", n)
	}
	b.checkClean(t)
}
