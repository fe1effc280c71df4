package display

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// MethodFaithfulness is one attribution method's faithfulness on a prompt: at each fraction k,
// the drop in p(token) when its top-k tokens are removed (comprehensiveness, higher is better)
// and when only they are kept (sufficiency, lower is better), averaged over the explained
// tokens; the AOPCs are their means over the fractions.
type MethodFaithfulness struct {
	Method                                 string
	Comprehensiveness, Sufficiency         []float64 // [k]
	AOPCComprehensiveness, AOPCSufficiency float64
}

// Faithfulness ranks attribution methods by how faithful their explanations are on this prompt
// (ERASER's comprehensiveness and sufficiency): two bars per method, its AOPC
// comprehensiveness and sufficiency; the buttons sort by either, and hovering a method lists
// its values at each k.
type Faithfulness struct {
	Context   string    // what was explained, e.g. "3 generated tokens after “The capital of France is”"
	Baseline  string    // how a token is removed: "zero" or "token:<id>"
	Fractions []float64 // the k's, e.g. 0.1, 0.2, 0.5
	Methods   []MethodFaithfulness
}

// Geometry of the bar chart in px, shared with faithfulness.js through the layouts.
const (
	faithLabelW = 170 // method names
	faithBarW   = 260 // the longest bar
	faithValueW = 70  // the value right of a bar
	faithBarH   = 11
	faithRowH   = 2*faithBarH + 10
	faithTop    = 6
)

// faithBar is one bar: its rectangle and the value written beside it.
type faithBar struct {
	X     float64 `json:"x"`
	W     float64 `json:"w"`
	Y     int     `json:"y"`
	TX    float64 `json:"tx"`
	Value string  `json:"value"`
}

// faithRow is one method's row of the chart.
type faithRow struct {
	Method string   `json:"method"`
	LY     int      `json:"ly"` // label baseline
	Title  string   `json:"title"`
	Comp   faithBar `json:"comp"`
	Suff   faithBar `json:"suff"`
}

// faithLayout is the chart in one order.
type faithLayout struct {
	Rows   []faithRow `json:"rows"`
	ZeroX  float64    `json:"zeroX"`
	Width  int        `json:"width"`
	Height int        `json:"height"`
}

type faithData struct {
	Context string                 `json:"context"`
	Orders  map[string]faithLayout `json:"orders"` // "comprehensiveness", "sufficiency"
	Colors  map[string]string      `json:"colors"`
}

type faithModel struct {
	Caption string
	Layout  faithLayout
	Colors  map[string]string
	Legend  string
}

var (
	comprehensivenessColor = rgb{0x1f, 0x6f, 0xb4}
	sufficiencyColor       = rgb{0xd5, 0x5e, 0x00}
)

// Validate reports why f cannot be drawn, or nil.
func (f Faithfulness) Validate() error {
	if len(f.Methods) == 0 {
		return fmt.Errorf("display: Faithfulness: no methods to rank")
	}
	if len(f.Fractions) == 0 {
		return fmt.Errorf("display: Faithfulness: no fractions k")
	}
	for _, m := range f.Methods {
		if len(m.Comprehensiveness) != len(f.Fractions) || len(m.Sufficiency) != len(f.Fractions) {
			return fmt.Errorf("display: Faithfulness: method %q has %d comprehensiveness and %d sufficiency values, want one per fraction (%d)", m.Method, len(m.Comprehensiveness), len(m.Sufficiency), len(f.Fractions))
		}
		for _, v := range append(append([]float64{m.AOPCComprehensiveness, m.AOPCSufficiency}, m.Comprehensiveness...), m.Sufficiency...) {
			if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1 {
				return fmt.Errorf("display: Faithfulness: method %q has value %v, want a difference of probabilities in [-1, 1]", m.Method, v)
			}
		}
	}
	return nil
}

// layout draws the methods in the given order, bars on one scale from 0.
func (f Faithfulness) layout(order []MethodFaithfulness) faithLayout {
	lo, hi := 0.0, 0.0
	for _, m := range order {
		lo, hi = min(lo, m.AOPCComprehensiveness, m.AOPCSufficiency), max(hi, m.AOPCComprehensiveness, m.AOPCSufficiency)
	}
	span := hi - lo
	if span == 0 {
		span = 1
	}
	x := func(v float64) float64 { return math.Round(10*(faithLabelW+faithBarW*(v-lo)/span)) / 10 }
	zero := x(0)
	bar := func(v float64, y int) faithBar {
		a, b := min(zero, x(v)), max(zero, x(v))
		return faithBar{X: a, W: b - a, Y: y, TX: b + 4, Value: fmt.Sprintf("%.4f", v)}
	}
	l := faithLayout{ZeroX: zero, Width: faithLabelW + faithBarW + faithValueW, Height: faithTop + len(order)*faithRowH}
	for i, m := range order {
		y := faithTop + i*faithRowH
		var lines []string
		for k, frac := range f.Fractions {
			lines = append(lines, fmt.Sprintf("k=%g%%: comprehensiveness %.4f, sufficiency %.4f", 100*frac, m.Comprehensiveness[k], m.Sufficiency[k]))
		}
		l.Rows = append(l.Rows, faithRow{
			Method: m.Method, LY: y + faithBarH + 4, Title: m.Method + "\n" + strings.Join(lines, "\n"),
			Comp: bar(m.AOPCComprehensiveness, y), Suff: bar(m.AOPCSufficiency, y+faithBarH+1),
		})
	}
	return l
}

// sorted returns the methods by AOPC comprehensiveness (highest first) or sufficiency (lowest
// first), ties by name.
func (f Faithfulness) sorted(by string) []MethodFaithfulness {
	ms := slices.Clone(f.Methods)
	key := func(m MethodFaithfulness) float64 {
		if by == "sufficiency" {
			return m.AOPCSufficiency
		}
		return -m.AOPCComprehensiveness
	}
	slices.SortStableFunc(ms, func(a, b MethodFaithfulness) int {
		switch ka, kb := key(a), key(b); {
		case ka < kb:
			return -1
		case ka > kb:
			return 1
		}
		return strings.Compare(a.Method, b.Method)
	})
	return ms
}

// HTML renders f as a self-contained fragment, ranked by comprehensiveness.
func (f Faithfulness) HTML() string {
	if err := f.Validate(); err != nil {
		return errorHTML(err)
	}
	colors := map[string]string{"comprehensiveness": comprehensivenessColor.hex(), "sufficiency": sufficiencyColor.hex()}
	data := faithData{Context: f.Context, Colors: colors, Orders: map[string]faithLayout{}}
	for _, by := range []string{"comprehensiveness", "sufficiency"} {
		data.Orders[by] = f.layout(f.sorted(by))
	}
	pcts := make([]string, len(f.Fractions))
	for i, k := range f.Fractions {
		pcts[i] = fmt.Sprintf("%g%%", 100*k)
	}
	model := faithModel{
		Caption: faithCaption(f.Context, "comprehensiveness"),
		Layout:  data.Orders["comprehensiveness"],
		Colors:  colors,
		Legend: fmt.Sprintf("AOPC over k = %s of each step's tokens, removed by the %s baseline: comprehensiveness = drop in p(token) without the top-k tokens (higher is better), sufficiency = drop with only them (lower is better)",
			strings.Join(pcts, ", "), f.Baseline),
	}
	return render("eg-faith", "faithfulness", model, data, viewScript("faithfulness.js"))
}

// faithCaption must match the caption faithfulness.js writes.
func faithCaption(context, by string) string {
	if context == "" {
		return "faithfulness · ranked by " + by
	}
	return "faithfulness on " + context + " · ranked by " + by
}

// Display shows f in a GoNB notebook; it does nothing elsewhere.
func (f Faithfulness) Display() { show(f) }

// Save writes f as a standalone HTML page.
func (f Faithfulness) Save(path string) error { return WritePage(path, "Ecco · faithfulness", f) }
