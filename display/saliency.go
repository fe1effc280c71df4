package display

import (
	"fmt"
	"math"
)

// Style selects how the saliency view draws values.
type Style string

const (
	// StyleMinimal colours each token's background by its attribution
	// (Ecco's default).
	StyleMinimal Style = "minimal"
	// StyleDetailed adds a small bar and the value (in percent) under each
	// token.
	StyleDetailed Style = "detailed"
)

// Saliency shows input saliency (Ecco's primary_attributions): hovering or
// tapping generated token i colours every earlier token by its attribution
// to token i, rescaled so that the step's largest value is the most
// saturated. Generated token First (default the first) is selected at start.
type Saliency struct {
	Tokens []Token
	NInput int    // number of prompt tokens; Tokens[NInput:] were generated
	Method string // attribution method name, e.g. "grad_x_input"
	// Scores[i] attributes generated token i (Tokens[NInput+i]) over its
	// prefix Tokens[:NInput+i], so len(Scores[i]) == NInput+i and
	// len(Scores) == len(Tokens)-NInput. Values are usually ≥ 0 and sum to 1;
	// negative values are drawn as 0.
	Scores [][]float64
	Style  Style // "" means StyleMinimal
	// Foils, when set, make the view contrastive: Foils[i] is the token that generated token i
	// is contrasted with (Scores[i] then attributes p(token) − p(foil) or their logits'
	// difference), named beside it in the caption. One per generated token.
	Foils []string
	// First is the generated token selected at start (0: the first). An encoder–decoder's view
	// starts at 1: its token 0 is the decoder's start token, whose row is Ecco's all-zero
	// placeholder.
	First int
}

// saliencyData is the JSON handed to saliency.js.
type saliencyData struct {
	Tokens []Token      `json:"tokens"`
	NInput int          `json:"nInput"`
	Method string       `json:"method"`
	Scores [][]float64  `json:"scores"`
	Style  Style        `json:"style"`
	Colors saliencyPens `json:"colors"`
	Foils  []string     `json:"foils,omitempty"`
	First  int          `json:"first,omitempty"`
}

type saliencyPens struct {
	Scale string `json:"scale"`
}

type saliencyModel struct {
	Caption string
	Cells   []tokenCell
}

// Validate reports why s cannot be drawn, or nil.
func (s Saliency) Validate() error {
	if err := checkTokens("Saliency", s.Tokens, s.NInput); err != nil {
		return err
	}
	if s.NInput == 0 {
		return fmt.Errorf("display: Saliency: NInput = 0, want at least one prompt token to attribute to")
	}
	if s.Style != "" && s.Style != StyleMinimal && s.Style != StyleDetailed {
		return fmt.Errorf("display: Saliency: Style = %q, want %q or %q", s.Style, StyleMinimal, StyleDetailed)
	}
	gen := len(s.Tokens) - s.NInput
	if gen == 0 {
		return fmt.Errorf("display: Saliency: no generated tokens (len(Tokens) = NInput = %d), nothing to attribute", s.NInput)
	}
	if s.Foils != nil && len(s.Foils) != gen {
		return fmt.Errorf("display: Saliency: len(Foils) = %d, want none or one per generated token = %d", len(s.Foils), gen)
	}
	if len(s.Scores) != gen {
		return fmt.Errorf("display: Saliency: len(Scores) = %d, want one row per generated token = %d", len(s.Scores), gen)
	}
	if s.First < 0 || s.First >= gen {
		return fmt.Errorf("display: Saliency: First = %d, want a generated token 0..%d", s.First, gen-1)
	}
	for i, row := range s.Scores {
		if len(row) != s.NInput+i {
			return fmt.Errorf("display: Saliency: len(Scores[%d]) = %d, want NInput+%d = %d (the prefix of generated token %d)", i, len(row), i, s.NInput+i, i)
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("display: Saliency: Scores[%d][%d] = %v, want a finite number", i, j, v)
			}
		}
	}
	return nil
}

func (s Saliency) style() Style {
	if s.Style == "" {
		return StyleMinimal
	}
	return s.Style
}

// HTML renders s as a self-contained fragment showing step First.
func (s Saliency) HTML() string {
	if err := s.Validate(); err != nil {
		return errorHTML(err)
	}
	s.Scores = roundRows(s.Scores)
	model := saliencyModel{
		Caption: saliencyCaption(s.Method, s.Tokens[s.NInput+s.First], s.foil(s.First), s.NInput+s.First),
		Cells:   saliencyCells(s, s.First),
	}
	data := saliencyData{s.Tokens, s.NInput, s.Method, s.Scores, s.style(), saliencyPens{saliencyColor.hex()}, s.Foils, s.First}
	return render("eg-saliency", "saliency", model, data, viewScript("saliency.js"))
}

// Display shows s in a GoNB notebook; it does nothing elsewhere.
func (s Saliency) Display() { show(s) }

// Save writes s as a standalone HTML page.
func (s Saliency) Save(path string) error { return WritePage(path, "Ecco · saliency", s) }

// foil is the foil of step i, or nil when the view is not contrastive.
func (s Saliency) foil(i int) *string {
	if s.Foils == nil {
		return nil
	}
	return &s.Foils[i]
}

// saliencyCaption must match the caption saliency.js writes.
func saliencyCaption(method string, t Token, foil *string, pos int) string {
	if method == "" {
		method = "attribution"
	}
	rather := ""
	if foil != nil {
		rather = fmt.Sprintf(" rather than foil “%s”", tokenLabel(*foil))
	}
	return fmt.Sprintf("%s · token #%d “%s”%s over the %d tokens before it · hover or tap a generated token", method, pos, tokenLabel(t.Text), rather, pos)
}

// stepScale returns, for each prefix token of a step, its value rescaled to
// the step's maximum (negative values count as 0).
func stepScale(scores []float64) []float64 {
	maxV := 0.0
	for _, v := range scores {
		maxV = max(maxV, v)
	}
	out := make([]float64, len(scores))
	if maxV > 0 {
		for i, v := range scores {
			out[i] = clamp01(v / maxV)
		}
	}
	return out
}

// saliencyCells renders the state after selecting generated token step.
func saliencyCells(s Saliency, step int) []tokenCell {
	cells := tokenCells(s.Tokens, s.NInput)
	scores := s.Scores[step]
	scaled := stepScale(scores)
	sel := s.NInput + step
	for i := range cells {
		c := &cells[i]
		c.Selected = i == sel
		if i < len(scores) {
			bg := tint(saliencyColor, scaled[i])
			c.BG, c.FG = bg.hex(), textOn(bg).hex()
		} else {
			c.Muted = i != sel
		}
		if s.style() == StyleDetailed {
			v := 0.0
			if i < len(scores) {
				v = scores[i]
			}
			c.Bar = fmt.Sprintf("%.1f%%", 100*scaledAt(scaled, i))
			c.Value = fmt.Sprintf("%.1f%%", 100*v)
			if i >= len(scores) {
				c.Value = "·"
			}
		}
	}
	return cells
}

func scaledAt(s []float64, i int) float64 {
	if i < len(s) {
		return s[i]
	}
	return 0
}
