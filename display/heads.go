package display

import (
	"fmt"
	"math"
	"unicode/utf8"
)

// HeadView shows attention as BertViz's head view does: the tokens twice, queries on the left
// and keys on the right, joined by lines whose opacity is the attention weight, coloured by
// head. A layer selector and head swatches pick what is drawn (click a head; shift-click adds
// or removes one); hovering a token keeps only its lines. Under it, a compact grid of every
// layer's heads as small attention matrices; clicking one selects it. The static rendering
// draws the initial layer and head.
type HeadView struct {
	Tokens []Token
	// Attention is [layer][head][query][key]: each row a distribution over keys (0 where a
	// causal model masks).
	Attention [][][][]float32
	// Layer and Head are drawn first.
	Layer, Head int
}

// Lines lighter than minLineWeight are not drawn: invisible anyway, and they would make
// thousands of SVG elements on long texts.
const minLineWeight = 1e-3

// headGeom places the two token columns; the script reads the same numbers from the data.
type headGeom struct {
	Row    int `json:"row"`    // row height
	Top    int `json:"top"`    // y of the first row's top
	Left   int `json:"left"`   // x where query labels end (right-aligned)
	X1     int `json:"x1"`     // lines start
	X2     int `json:"x2"`     // lines end
	Right  int `json:"right"`  // x where key labels start
	Width  int `json:"width"`  // of the SVG
	Height int `json:"height"` // of the SVG
}

func newHeadGeom(tokens []Token) headGeom {
	longest := 1
	for _, t := range tokens {
		longest = max(longest, utf8.RuneCountInString(shorten(tokenLabel(t.Text), 20)))
	}
	label := min(8*longest+8, 170)
	g := headGeom{Row: 20, Top: 22, Left: label}
	g.X1, g.X2 = g.Left+6, g.Left+6+150
	g.Right = g.X2 + 6
	g.Width, g.Height = g.Right+label, g.Top+g.Row*len(tokens)+6
	return g
}

// y is the centre of row i.
func (g headGeom) y(i int) int { return g.Top + g.Row*i + g.Row/2 }

type headData struct {
	Tokens    []Token         `json:"tokens"`
	Attention [][][][]float64 `json:"attention"` // rounded to 1e-4
	Layer     int             `json:"layer"`
	Head      int             `json:"head"`
	Geom      headGeom        `json:"geom"`
	Colors    []string        `json:"colors"`
	MinWeight float64         `json:"minWeight"`
}

type headLine struct {
	Q, K, H        int
	Y1, Y2         int
	Color, Opacity string
}

type headLabel struct {
	I     int
	Y     int
	Label string
	Title string
}

type headModel struct {
	Caption string
	Geom    headGeom
	Labels  []headLabel
	Lines   []headLine
}

// Validate reports why v cannot be drawn, or nil.
func (v HeadView) Validate() error {
	if err := checkTokens("HeadView", v.Tokens, 0); err != nil {
		return err
	}
	t := len(v.Tokens)
	if len(v.Attention) == 0 || len(v.Attention[0]) == 0 {
		return fmt.Errorf("display: HeadView: Attention is empty, want [layer][head][%d][%d]", t, t)
	}
	heads := len(v.Attention[0])
	for l, layer := range v.Attention {
		if len(layer) != heads {
			return fmt.Errorf("display: HeadView: layer %d has %d heads, layer 0 has %d", l, len(layer), heads)
		}
		for h, rows := range layer {
			if len(rows) != t {
				return fmt.Errorf("display: HeadView: layer %d head %d has %d query rows, want one per token (%d)", l, h, len(rows), t)
			}
			for q, row := range rows {
				if len(row) != t {
					return fmt.Errorf("display: HeadView: layer %d head %d query %d has %d keys, want %d", l, h, q, len(row), t)
				}
				for k, w := range row {
					if !(w >= 0 && w <= 1) {
						return fmt.Errorf("display: HeadView: layer %d head %d [%d][%d] = %v, want a probability in [0, 1]", l, h, q, k, w)
					}
				}
			}
		}
	}
	if v.Layer < 0 || v.Layer >= len(v.Attention) || v.Head < 0 || v.Head >= heads {
		return fmt.Errorf("display: HeadView: layer %d head %d, want layer 0..%d and head 0..%d", v.Layer, v.Head, len(v.Attention)-1, heads-1)
	}
	return nil
}

// HTML renders v as a self-contained fragment.
func (v HeadView) HTML() string {
	if err := v.Validate(); err != nil {
		return errorHTML(err)
	}
	g := newHeadGeom(v.Tokens)
	model := headModel{Caption: headCaption(v.Layer, []int{v.Head}), Geom: g}
	for i, t := range v.Tokens {
		model.Labels = append(model.Labels, headLabel{I: i, Y: g.y(i), Label: shorten(tokenLabel(t.Text), 20), Title: fmt.Sprintf("#%d · id %d", i, t.ID)})
	}
	for q, row := range v.Attention[v.Layer][v.Head] {
		for k, w := range row {
			if w := round4(w); w >= minLineWeight {
				model.Lines = append(model.Lines, headLine{Q: q, K: k, H: v.Head, Y1: g.y(q), Y2: g.y(k), Color: paletteColor(v.Head).hex(), Opacity: fmt.Sprint(w)})
			}
		}
	}
	data := headData{Tokens: v.Tokens, Layer: v.Layer, Head: v.Head, Geom: g, MinWeight: minLineWeight}
	for h := range v.Attention[0] {
		data.Colors = append(data.Colors, paletteColor(h).hex())
	}
	data.Attention = make([][][][]float64, len(v.Attention))
	for l, layer := range v.Attention {
		data.Attention[l] = make([][][]float64, len(layer))
		for h, rows := range layer {
			data.Attention[l][h] = make([][]float64, len(rows))
			for q, row := range rows {
				data.Attention[l][h][q] = make([]float64, len(row))
				for k, w := range row {
					data.Attention[l][h][q][k] = round4(w)
				}
			}
		}
	}
	return render("eg-heads", "heads", model, data, viewScript("heads.js"))
}

// round4 keeps 4 decimals: the page's JSON stays small and opacity needs no more.
func round4(w float32) float64 { return math.Round(float64(w)*1e4) / 1e4 }

// Display shows v in a GoNB notebook; it does nothing elsewhere.
func (v HeadView) Display() { show(v) }

// Save writes v as a standalone HTML page.
func (v HeadView) Save(path string) error { return WritePage(path, "Ecco · attention heads", v) }

// headCaption must match the caption heads.js writes.
func headCaption(layer int, heads []int) string {
	return fmt.Sprintf("Attention · layer %d · head %s · hover a token to keep its lines; click a head (shift-click: several) or a square below", layer, joinInts(heads))
}

func joinInts(xs []int) string {
	s := ""
	for i, x := range xs {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprint(x)
	}
	return s
}
