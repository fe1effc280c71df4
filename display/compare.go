package display

import (
	"fmt"
	"math"
)

// Change is one token's next-token probability before and after a change to the model.
type Change struct {
	Text   string  `json:"text"`
	ID     int     `json:"id"`
	Before float64 `json:"before"`
	After  float64 `json:"after"`
}

// Comparison shows the next-token top-k before and after a change to the model (neuron
// edits), side by side: each column lists its side's top-k with probability bars and every
// token's change in probability (after − before, green up, red down); hovering a token
// highlights it in both columns.
type Comparison struct {
	Context string   // what is predicted, e.g. "next token after “… is cute”"
	Change  string   // what changed, e.g. "ablate layer 1 neurons 3, 17, 200"
	Before  []Change // the top-k before the change, most probable first
	After   []Change // the top-k after it, most probable first
}

type compareRow struct {
	ID                int
	Label, Title, Bar string
	Pct, Delta        string
	Up, Down          bool
}

type compareColumn struct {
	Title string
	Rows  []compareRow
}

type compareModel struct {
	Caption string
	BarPen  string
	Columns []compareColumn
}

// Validate reports why c cannot be drawn, or nil.
func (c Comparison) Validate() error {
	if len(c.Before) == 0 || len(c.After) == 0 {
		return fmt.Errorf("display: Comparison: Before has %d tokens and After %d, want at least one each", len(c.Before), len(c.After))
	}
	for _, side := range [][]Change{c.Before, c.After} {
		for _, ch := range side {
			for _, p := range []float64{ch.Before, ch.After} {
				if math.IsNaN(p) || p < 0 || p > 1 {
					return fmt.Errorf("display: Comparison: token %q (id %d) has probability %v, want one in [0, 1]", ch.Text, ch.ID, p)
				}
			}
		}
	}
	return nil
}

// HTML renders c as a self-contained fragment.
func (c Comparison) HTML() string {
	if err := c.Validate(); err != nil {
		return errorHTML(err)
	}
	model := compareModel{Caption: c.Context + " · " + c.Change + " · hover a token to find it on both sides", BarPen: probColor.hex()}
	for i, side := range [][]Change{c.Before, c.After} {
		col := compareColumn{Title: "Before"}
		if i == 1 {
			col.Title = "After"
		}
		for _, ch := range side {
			shown := ch.Before
			if i == 1 {
				shown = ch.After
			}
			d := ch.After - ch.Before
			col.Rows = append(col.Rows, compareRow{
				ID: ch.ID, Label: tokenLabel(ch.Text), Bar: fmt.Sprintf("%.1f%%", 100*shown), Pct: fmt.Sprintf("%.2f%%", 100*shown),
				Title: fmt.Sprintf("%q · id %d · before %.2f%% · after %.2f%%", ch.Text, ch.ID, 100*ch.Before, 100*ch.After),
				Delta: fmt.Sprintf("%+.2f", 100*d), Up: d > 5e-5, Down: d < -5e-5,
			})
		}
		model.Columns = append(model.Columns, col)
	}
	return render("eg-compare", "compare", model, c, viewScript("compare.js"))
}

// Display shows c in a GoNB notebook; it does nothing elsewhere.
func (c Comparison) Display() { show(c) }

// Save writes c as a standalone HTML page.
func (c Comparison) Save(path string) error { return WritePage(path, "Ecco · before and after", c) }
