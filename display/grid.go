package display

import (
	"fmt"
	"math"
	"unicode/utf8"
)

// The rank and similarity heatmaps share this SVG grid: rows × columns of
// coloured cells with the value written inside and labels on the axes.

// Grid geometry in px, shared with grid.js through the view data.
const (
	gridCellW     = 56
	gridCellH     = 26
	gridLabelH    = 20 // height of a row of column labels
	gridColRunes  = 7  // column labels longer than this are shortened
	gridRowRunes  = 18 // row labels longer than this are shortened
	gridRuneWidth = 7  // approximate px per character at 11px monospace
)

type gridLayout struct {
	CellW  int `json:"cellW"`
	CellH  int `json:"cellH"`
	Left   int `json:"left"` // x of the first column
	Top    int `json:"top"`  // y of the first row
	Width  int `json:"width"`
	Height int `json:"height"`
}

// gridData is the JSON handed to grid.js.
type gridData struct {
	Kind   string      `json:"kind"` // "rank" or "value"
	Title  string      `json:"title"`
	Rows   []string    `json:"rows"`
	Cols   []string    `json:"cols"`
	Top    []string    `json:"top"`
	Values [][]float64 `json:"values"`
	Pen    string      `json:"pen"`
	Layout gridLayout  `json:"layout"`
}

type gridCell struct {
	X, Y, W, H int
	TX, TY     int // text anchor
	Fill, Ink  string
	Text       string
	Row, Col   int
	Title      string
}

type gridLabel struct {
	X, Y   int
	Text   string
	Full   string
	Anchor string
	Index  int
}

type gridModel struct {
	Title   string
	Caption string
	Layout  gridLayout
	Cells   []gridCell
	Rows    []gridLabel
	Cols    []gridLabel
	Top     []gridLabel
}

// shorten keeps at most n runes, marking a cut with "…" (as EG.short).
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// layoutGrid computes the geometry for the given labels.
func layoutGrid(rows, cols, top []string) gridLayout {
	longest := 0
	for _, r := range rows {
		longest = max(longest, min(utf8.RuneCountInString(r), gridRowRunes))
	}
	l := gridLayout{CellW: gridCellW, CellH: gridCellH, Left: 12 + gridRuneWidth*longest, Top: 4}
	if top != nil {
		l.Top += gridLabelH
	}
	l.Width = l.Left + gridCellW*len(cols) + 4
	l.Height = l.Top + gridCellH*len(rows) + gridLabelH + 4
	return l
}

// cellText formats a cell value (as grid.js).
func cellText(kind string, v float64) string {
	if kind == "rank" {
		return fmt.Sprintf("%d", int(v))
	}
	return fmt.Sprintf("%.2f", v)
}

// buildGrid computes the static SVG model; scale maps a value to [0, 1].
func buildGrid(d gridData, caption string, pen rgb, scale func(float64) float64) gridModel {
	l := d.Layout
	m := gridModel{Title: d.Title, Caption: caption, Layout: l}
	for r, label := range d.Rows {
		m.Rows = append(m.Rows, gridLabel{X: l.Left - 6, Y: l.Top + r*l.CellH + l.CellH/2 + 4,
			Text: shorten(tokenLabel(label), gridRowRunes), Full: label, Anchor: "end", Index: r})
	}
	for c, label := range d.Cols {
		m.Cols = append(m.Cols, gridLabel{X: l.Left + c*l.CellW + l.CellW/2, Y: l.Top + len(d.Rows)*l.CellH + 14,
			Text: shorten(tokenLabel(label), gridColRunes), Full: label, Anchor: "middle", Index: c})
	}
	for c, label := range d.Top {
		m.Top = append(m.Top, gridLabel{X: l.Left + c*l.CellW + l.CellW/2, Y: l.Top - 6,
			Text: shorten(tokenLabel(label), gridColRunes), Full: label, Anchor: "middle", Index: c})
	}
	for r, row := range d.Values {
		for c, v := range row {
			bg := tint(pen, scale(v))
			m.Cells = append(m.Cells, gridCell{
				X: l.Left + c*l.CellW, Y: l.Top + r*l.CellH, W: l.CellW, H: l.CellH,
				TX: l.Left + c*l.CellW + l.CellW/2, TY: l.Top + r*l.CellH + l.CellH/2 + 4,
				Fill: bg.hex(), Ink: textOn(bg).hex(), Text: cellText(d.Kind, v),
				Row: r, Col: c, Title: fmt.Sprintf("%s × %s: %s", d.Rows[r], d.Cols[c], cellText(d.Kind, v)),
			})
		}
	}
	return m
}

// checkGrid validates labels against a rows × cols matrix shape.
func checkGrid(view string, rows, cols, top []string, nRows int, rowLen func(int) int) error {
	if nRows == 0 || len(cols) == 0 {
		return fmt.Errorf("display: %s: empty matrix (%d rows, %d column labels), want at least 1×1", view, nRows, len(cols))
	}
	if len(rows) != nRows {
		return fmt.Errorf("display: %s: len(RowLabels) = %d, want one per row = %d", view, len(rows), nRows)
	}
	for r := range nRows {
		if rowLen(r) != len(cols) {
			return fmt.Errorf("display: %s: row %d has %d values, want one per column label = %d", view, r, rowLen(r), len(cols))
		}
	}
	if top != nil && len(top) != len(cols) {
		return fmt.Errorf("display: %s: len(TopLabels) = %d, want one per column = %d (or nil)", view, len(top), len(cols))
	}
	return nil
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
