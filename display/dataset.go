package display

import (
	"fmt"
	"math"
	"strings"
)

// Dataset shows the summary of a dataset run (`ecco report`, package ecco/batchreport): per
// method, the mean share of attribution at each distance from the predicted token as an SVG bar
// chart and the most-attributed tokens as a table (sortable by clicking a header); the methods'
// faithfulness when measured; and NMF factors over the pooled activations with the records
// where each is strongest. Empty sections are left out.
type Dataset struct {
	Summary      string            // one line: records, methods, folder
	Distance     []DistanceChart   // one chart per method
	TopTokens    []TokenTable      // one table per method
	Faithfulness []FaithfulnessRow // nil: section omitted
	FaithNote    string            // e.g. the baselines
	Factors      []DatasetFactor   // nil: section omitted
	FactorNote   string            // e.g. layers and positions pooled
}

// DistanceChart is one method's bars, nearest distance first: Share is the mean share in
// [0, 1], Steps how many generated tokens it averages.
type DistanceChart struct {
	Method string
	Bars   []DistanceBar
}

// DistanceBar is one distance bucket.
type DistanceBar struct {
	Label string // e.g. "3–4"
	Share float64
	Steps int
}

// TokenTable lists one method's most-attributed tokens.
type TokenTable struct {
	Method string
	Rows   []TokenRow
}

// TokenRow is a token with its total share and count.
type TokenRow struct {
	Token string
	Total float64
	Count int
}

// FaithfulnessRow is one method's mean AOPC scores.
type FaithfulnessRow struct {
	Method                         string
	Records                        int
	Comprehensiveness, Sufficiency float64
}

// DatasetFactor is one NMF factor: its top neurons as text and its strongest records.
type DatasetFactor struct {
	Index    int
	Neurons  string
	Examples []FactorExample
}

// FactorExample is a record where a factor is strong, with its strongest tokens.
type FactorExample struct {
	ID       string
	Strength float64
	Tokens   []string
}

// Validate reports why d cannot be drawn, or nil.
func (d Dataset) Validate() error {
	for _, c := range d.Distance {
		for i, b := range c.Bars {
			if math.IsNaN(b.Share) || b.Share < 0 || b.Share > 1+1e-9 {
				return fmt.Errorf("display: Dataset: %s bar %d share %v, want a number in [0, 1]", c.Method, i, b.Share)
			}
		}
	}
	for _, t := range d.TopTokens {
		for i, r := range t.Rows {
			if math.IsNaN(r.Total) || math.IsInf(r.Total, 0) {
				return fmt.Errorf("display: Dataset: %s token %d total %v, want a finite number", t.Method, i, r.Total)
			}
		}
	}
	for _, f := range d.Faithfulness {
		if math.IsNaN(f.Comprehensiveness) || math.IsNaN(f.Sufficiency) {
			return fmt.Errorf("display: Dataset: faithfulness of %s is NaN", f.Method)
		}
	}
	return nil
}

type barModel struct {
	X, Y, W, H, LabelX int
	Label, Pct, Title  string
}

type chartModel struct {
	Method string
	Width  int
	Bars   []barModel
}

type tokenRowModel struct {
	Label, Total, Count string
	TotalV              float64
	CountV              int
}

type tokenTableModel struct {
	Method string
	Rows   []tokenRowModel
}

type factorModel struct {
	Index    int
	Color    string
	Neurons  string
	Examples []exampleModel
}

type exampleModel struct {
	ID, Strength, Tokens string
}

type datasetModel struct {
	Summary      string
	Charts       []chartModel
	Tables       []tokenTableModel
	Faithfulness []FaithfulnessRow
	FaithNote    string
	Factors      []factorModel
	FactorNote   string
}

const (
	chartHeight = 120 // px of the tallest bar (a share of 1)
	barWidth    = 44
)

// HTML renders d as a self-contained fragment.
func (d Dataset) HTML() string {
	if err := d.Validate(); err != nil {
		return errorHTML(err)
	}
	m := datasetModel{Summary: d.Summary, Faithfulness: d.Faithfulness, FaithNote: d.FaithNote, FactorNote: d.FactorNote}
	for _, c := range d.Distance {
		cm := chartModel{Method: c.Method, Width: len(c.Bars) * barWidth}
		for i, b := range c.Bars {
			h := int(math.Round(b.Share * chartHeight))
			cm.Bars = append(cm.Bars, barModel{X: i*barWidth + 4, Y: 14 + chartHeight - h, W: barWidth - 8, H: h, LabelX: i*barWidth + barWidth/2,
				Label: b.Label, Pct: fmt.Sprintf("%.0f%%", 100*b.Share), Title: fmt.Sprintf("distance %s: mean share %.2f%% over %d generated tokens", b.Label, 100*b.Share, b.Steps)})
		}
		m.Charts = append(m.Charts, cm)
	}
	for _, t := range d.TopTokens {
		tm := tokenTableModel{Method: t.Method}
		for _, r := range t.Rows {
			tm.Rows = append(tm.Rows, tokenRowModel{Label: tokenLabel(r.Token), Total: fmt.Sprintf("%.3f", r.Total), Count: fmt.Sprint(r.Count), TotalV: r.Total, CountV: r.Count})
		}
		m.Tables = append(m.Tables, tm)
	}
	for _, f := range d.Factors {
		fm := factorModel{Index: f.Index, Color: paletteColor(f.Index).hex(), Neurons: f.Neurons}
		for _, e := range f.Examples {
			labels := make([]string, len(e.Tokens))
			for i, t := range e.Tokens {
				labels[i] = tokenLabel(t)
			}
			fm.Examples = append(fm.Examples, exampleModel{ID: e.ID, Strength: fmt.Sprintf("%.3g", e.Strength), Tokens: strings.Join(labels, " · ")})
		}
		m.Factors = append(m.Factors, fm)
	}
	return render("eg-dataset", "dataset", m, nil, viewScript("dataset.js"))
}

// Display shows d in a GoNB notebook; it does nothing elsewhere.
func (d Dataset) Display() { show(d) }

// Save writes d as a standalone HTML page.
func (d Dataset) Save(path string) error { return WritePage(path, "Ecco · dataset report", d) }
