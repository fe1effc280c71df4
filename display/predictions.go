package display

import (
	"fmt"
	"math"
)

// LayerTopK is one layer's top-k predictions, most probable first.
type LayerTopK struct {
	Layer  int       `json:"layer"`  // layer index shown as the row label
	Tokens []string  `json:"tokens"` // decoded token texts
	IDs    []int     `json:"ids"`    // their vocabulary ids
	Probs  []float64 `json:"probs"`  // their probabilities, in [0, 1]
}

// LayerPredictions shows, layer by layer, the top-k tokens the model would
// predict from that layer's hidden state (Ecco's layer_predictions): a row
// of boxes per layer with the token, a probability bar and the percentage.
// Hovering a candidate highlights the same token in every layer.
type LayerPredictions struct {
	// Position is the index in the sequence of the token being predicted.
	Position int
	// Target is the token actually at Position, outlined wherever it
	// appears; nil when unknown.
	Target *Token
	Layers []LayerTopK
}

type predictionsData struct {
	Position int         `json:"position"`
	Target   *Token      `json:"target"`
	Layers   []LayerTopK `json:"layers"`
	Bar      string      `json:"bar"`
}

type candModel struct {
	Label, Title, Bar, Pct string
	ID                     int
	Target                 bool
}

type layerModel struct {
	Label string
	Cands []candModel
}

type predictionsModel struct {
	Caption string
	BarPen  string
	Layers  []layerModel
}

// Validate reports why p cannot be drawn, or nil.
func (p LayerPredictions) Validate() error {
	if p.Position < 0 {
		return fmt.Errorf("display: LayerPredictions: Position = %d, want ≥ 0", p.Position)
	}
	if len(p.Layers) == 0 {
		return fmt.Errorf("display: LayerPredictions: Layers is empty, want at least one layer")
	}
	for l, layer := range p.Layers {
		k := len(layer.Tokens)
		if k == 0 {
			return fmt.Errorf("display: LayerPredictions: Layers[%d].Tokens is empty, want at least one candidate", l)
		}
		if len(layer.IDs) != k || len(layer.Probs) != k {
			return fmt.Errorf("display: LayerPredictions: Layers[%d] has %d tokens, %d ids and %d probs, want equal lengths", l, k, len(layer.IDs), len(layer.Probs))
		}
		for i, pr := range layer.Probs {
			if math.IsNaN(pr) || pr < 0 || pr > 1 {
				return fmt.Errorf("display: LayerPredictions: Layers[%d].Probs[%d] = %v, want a probability in [0, 1]", l, i, pr)
			}
		}
	}
	return nil
}

// HTML renders p as a self-contained fragment.
func (p LayerPredictions) HTML() string {
	if err := p.Validate(); err != nil {
		return errorHTML(err)
	}
	model := predictionsModel{Caption: predictionsCaption(p.Position, p.Target), BarPen: probColor.hex()}
	for _, layer := range p.Layers {
		lm := layerModel{Label: fmt.Sprintf("Layer %d", layer.Layer)}
		for i, text := range layer.Tokens {
			pr := layer.Probs[i]
			lm.Cands = append(lm.Cands, candModel{
				Label:  tokenLabel(text),
				Title:  fmt.Sprintf("%q · id %d · %.2f%%", text, layer.IDs[i], 100*pr),
				Bar:    fmt.Sprintf("%.1f%%", 100*pr),
				Pct:    fmt.Sprintf("%.1f%%", 100*pr),
				ID:     layer.IDs[i],
				Target: p.Target != nil && layer.IDs[i] == p.Target.ID,
			})
		}
		model.Layers = append(model.Layers, lm)
	}
	data := predictionsData{p.Position, p.Target, p.Layers, probColor.hex()}
	return render("eg-predictions", "predictions", model, data, viewScript("predictions.js"))
}

// Display shows p in a GoNB notebook; it does nothing elsewhere.
func (p LayerPredictions) Display() { show(p) }

// Save writes p as a standalone HTML page.
func (p LayerPredictions) Save(path string) error {
	return WritePage(path, "Ecco · layer predictions", p)
}

// predictionsCaption must match the caption predictions.js writes.
func predictionsCaption(pos int, target *Token) string {
	s := fmt.Sprintf("Top predictions of each layer for position %d", pos)
	if target != nil {
		s += fmt.Sprintf(" (actual token “%s”, outlined)", tokenLabel(target.Text))
	}
	return s + " · hover a token to follow it across layers"
}
