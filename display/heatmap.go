package display

import "fmt"

// Rankings shows a rank heatmap (Ecco's rankings and rankings_watch): rows
// are layers, columns tokens, each cell the rank of a token in that layer's
// prediction (1 = top). Colour follows the rank on a log scale, rank 1
// darkest; the rank is written in each cell.
type Rankings struct {
	Title     string
	RowLabels []string // one per row, e.g. "Layer 0"
	ColLabels []string // one per column, below the grid (e.g. output tokens)
	TopLabels []string // optional, one per column above the grid (e.g. the input token at each step); nil for none
	Ranks     [][]int  // [rows][cols], each ≥ 1
}

// Heatmap shows a generic matrix of scores in [0, 1], such as layer × layer
// similarity (CCA, CKA): darker is higher, the value is written in each cell.
// Values outside [0, 1] are written as they are and coloured as the nearest
// end of the scale.
type Heatmap struct {
	Title     string
	RowLabels []string
	ColLabels []string
	Values    [][]float64 // [rows][cols]
}

// Validate reports why r cannot be drawn, or nil.
func (r Rankings) Validate() error {
	if err := checkGrid("Rankings", r.RowLabels, r.ColLabels, r.TopLabels, len(r.Ranks), func(i int) int { return len(r.Ranks[i]) }); err != nil {
		return err
	}
	for i, row := range r.Ranks {
		for j, v := range row {
			if v < 1 {
				return fmt.Errorf("display: Rankings: Ranks[%d][%d] = %d, want a rank ≥ 1 (1 = top prediction)", i, j, v)
			}
		}
	}
	return nil
}

// maxRank is the largest rank in r, the white end of the colour scale.
func (r Rankings) maxRank() int {
	m := 1
	for _, row := range r.Ranks {
		for _, v := range row {
			m = max(m, v)
		}
	}
	return m
}

const gridCaption = "hover a cell for details"

// HTML renders r as a self-contained fragment.
func (r Rankings) HTML() string {
	if err := r.Validate(); err != nil {
		return errorHTML(err)
	}
	vals := make([][]float64, len(r.Ranks))
	for i, row := range r.Ranks {
		vals[i] = make([]float64, len(row))
		for j, v := range row {
			vals[i][j] = float64(v)
		}
	}
	d := gridData{Kind: "rank", Title: r.Title, Rows: r.RowLabels, Cols: r.ColLabels, Top: r.TopLabels,
		Values: vals, Pen: rankColor.hex(), Layout: layoutGrid(r.RowLabels, r.ColLabels, r.TopLabels)}
	maxR := r.maxRank()
	model := buildGrid(d, gridCaption, rankColor, func(v float64) float64 { return rankScale(int(v), maxR) })
	return render("eg-rankings", "grid", model, d, gridScript)
}

// Display shows r in a GoNB notebook; it does nothing elsewhere.
func (r Rankings) Display() { show(r) }

// Save writes r as a standalone HTML page.
func (r Rankings) Save(path string) error { return WritePage(path, pageTitle("rankings", r.Title), r) }

// Validate reports why h cannot be drawn, or nil.
func (h Heatmap) Validate() error {
	if err := checkGrid("Heatmap", h.RowLabels, h.ColLabels, nil, len(h.Values), func(i int) int { return len(h.Values[i]) }); err != nil {
		return err
	}
	for i, row := range h.Values {
		for j, v := range row {
			if !isFinite(v) {
				return fmt.Errorf("display: Heatmap: Values[%d][%d] = %v, want a finite number", i, j, v)
			}
		}
	}
	return nil
}

// HTML renders h as a self-contained fragment.
func (h Heatmap) HTML() string {
	if err := h.Validate(); err != nil {
		return errorHTML(err)
	}
	d := gridData{Kind: "value", Title: h.Title, Rows: h.RowLabels, Cols: h.ColLabels,
		Values: h.Values, Pen: similarityColor.hex(), Layout: layoutGrid(h.RowLabels, h.ColLabels, nil)}
	model := buildGrid(d, gridCaption, similarityColor, clamp01)
	return render("eg-heatmap", "grid", model, d, gridScript)
}

// Display shows h in a GoNB notebook; it does nothing elsewhere.
func (h Heatmap) Display() { show(h) }

// Save writes h as a standalone HTML page.
func (h Heatmap) Save(path string) error { return WritePage(path, pageTitle("heatmap", h.Title), h) }

var gridScript = viewScript("grid.js")

func pageTitle(view, title string) string {
	if title == "" {
		return "Ecco · " + view
	}
	return "Ecco · " + title
}
