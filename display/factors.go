package display

import (
	"fmt"
	"math"
	"strings"
)

// Neuron is one FFN neuron's loading on an NMF factor.
type Neuron struct {
	Layer  int     `json:"layer"`
	Index  int     `json:"index"` // neuron index within the layer
	Weight float64 `json:"weight"`
}

// Factors shows NMF factors of neuron activations (Ecco's nmf.explore()):
// one sparkline per factor across the tokens, each token coloured by its
// dominant factor (palette colour, strength as intensity), and hovering or
// tapping a factor recolours the text by that factor alone. A table lists
// each factor's top neurons, which Ecco does not show.
//
// Each factor is rescaled to its own maximum before comparing: NMF leaves the
// scale of a factor arbitrary, so the dominant factor of a token is the one
// with the largest value relative to that factor's peak.
type Factors struct {
	Tokens []Token
	NInput int // number of prompt tokens; Tokens[NInput:] were generated
	// Values[f][p] is factor f at token p: len(Values[f]) == len(Tokens),
	// values ≥ 0 (NMF). Ecco's activations have one position fewer than the
	// tokens when generating; the caller aligns them (Ecco repeats the
	// factor value of the last prompt token).
	Values [][]float64
	// TopNeurons[f] lists factor f's strongest neurons, strongest first;
	// nil shows no table.
	TopNeurons [][]Neuron
}

type factorsData struct {
	Tokens     []Token     `json:"tokens"`
	NInput     int         `json:"nInput"`
	Values     [][]float64 `json:"factors"`
	TopNeurons [][]Neuron  `json:"topNeurons"`
	Palette    []string    `json:"palette"`
}

type sparkModel struct {
	Factor int
	Color  string
	Points string
	Width  int
	Height int
}

type neuronRow struct {
	Rank  int
	Cells []string
}

type factorsModel struct {
	Caption string
	Sparks  []sparkModel
	Cells   []tokenCell
	Heads   []sparkModel // factor header cells of the neuron table
	Rows    []neuronRow
}

// Validate reports why f cannot be drawn, or nil.
func (f Factors) Validate() error {
	if err := checkTokens("Factors", f.Tokens, f.NInput); err != nil {
		return err
	}
	if len(f.Values) == 0 {
		return fmt.Errorf("display: Factors: Values is empty, want at least one factor")
	}
	for k, row := range f.Values {
		if len(row) != len(f.Tokens) {
			return fmt.Errorf("display: Factors: len(Values[%d]) = %d, want one value per token = %d"+
				" (Ecco's activations have one position fewer than the tokens when generating: repeat the last prompt position)", k, len(row), len(f.Tokens))
		}
		for p, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("display: Factors: Values[%d][%d] = %v, want a finite number", k, p, v)
			}
		}
	}
	if f.TopNeurons != nil && len(f.TopNeurons) != len(f.Values) {
		return fmt.Errorf("display: Factors: len(TopNeurons) = %d, want one list per factor = %d (or nil)", len(f.TopNeurons), len(f.Values))
	}
	for k, list := range f.TopNeurons {
		for r, n := range list {
			if math.IsNaN(n.Weight) || math.IsInf(n.Weight, 0) {
				return fmt.Errorf("display: Factors: TopNeurons[%d][%d].Weight = %v, want a finite number", k, r, n.Weight)
			}
		}
	}
	return nil
}

// HTML renders f as a self-contained fragment, tokens coloured by their
// dominant factor.
func (f Factors) HTML() string {
	if err := f.Validate(); err != nil {
		return errorHTML(err)
	}
	f.Values = roundRows(f.Values)
	norm := normalizeRows(f.Values)
	model := factorsModel{
		Caption: factorsCaption,
		Cells:   tokenCells(f.Tokens, f.NInput),
	}
	for k, row := range norm {
		sm := sparkModel{Factor: k, Color: paletteColor(k).hex(), Width: sparkWidth(len(row)), Height: sparkHeight}
		sm.Points = sparkPoints(row, sm.Width)
		model.Sparks = append(model.Sparks, sm)
	}
	for p := range model.Cells {
		if k := dominant(norm, p); k >= 0 {
			bg := tint(paletteColor(k), norm[k][p])
			model.Cells[p].BG, model.Cells[p].FG = bg.hex(), textOn(bg).hex()
		}
	}
	if f.TopNeurons != nil {
		model.Heads = model.Sparks
		model.Rows = neuronRows(f.TopNeurons)
	}
	palette := make([]string, len(f.Values))
	for k := range palette {
		palette[k] = paletteColor(k).hex()
	}
	data := factorsData{f.Tokens, f.NInput, f.Values, f.TopNeurons, palette}
	return render("eg-factors", "factors", model, data, viewScript("factors.js"))
}

// Display shows f in a GoNB notebook; it does nothing elsewhere.
func (f Factors) Display() { show(f) }

// Save writes f as a standalone HTML page.
func (f Factors) Save(path string) error { return WritePage(path, "Ecco · NMF factors", f) }

const factorsCaption = "Each token takes the colour of its strongest factor · hover or tap a factor to show it alone"

const sparkHeight = 20

// sparkWidth gives 4 px per token, within [80, 160]: narrow enough to sit left of the text.
func sparkWidth(n int) int { return min(160, max(80, 4*n)) }

// sparkPoints is the polyline of values in [0, 1] (same geometry as
// factors.js).
func sparkPoints(vals []float64, width int) string {
	var b strings.Builder
	for p, v := range vals {
		x := float64(width) / 2
		if len(vals) > 1 {
			x = 2 + float64(p)*float64(width-4)/float64(len(vals)-1)
		}
		y := float64(sparkHeight) - 2 - v*float64(sparkHeight-4)
		if p > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%.1f,%.1f", x, y)
	}
	return b.String()
}

// normalizeRows rescales each row to its maximum (rows that are all ≤ 0
// become zeros).
func normalizeRows(rows [][]float64) [][]float64 {
	out := make([][]float64, len(rows))
	for k, row := range rows {
		out[k] = stepScale(row)
	}
	return out
}

// dominant returns the factor with the largest rescaled value at p (the
// first on ties), or -1 when every factor is 0 there.
func dominant(norm [][]float64, p int) int {
	best, bestV := -1, 0.0
	for k := range norm {
		if norm[k][p] > bestV {
			best, bestV = k, norm[k][p]
		}
	}
	return best
}

// neuronRows lays the top-neuron lists out as table rows (rank-major).
func neuronRows(top [][]Neuron) []neuronRow {
	depth := 0
	for _, l := range top {
		depth = max(depth, len(l))
	}
	rows := make([]neuronRow, depth)
	for r := range rows {
		rows[r].Rank = r + 1
		rows[r].Cells = make([]string, len(top))
		for k, l := range top {
			if r < len(l) {
				rows[r].Cells[k] = neuronText(l[r])
			}
		}
	}
	return rows
}

// neuronText must match the cell text factors.js writes.
func neuronText(n Neuron) string {
	return fmt.Sprintf("L%d · N%d · %.3f", n.Layer, n.Index, n.Weight)
}
