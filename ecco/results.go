package ecco

import (
	"encoding/json"
)

// The results below are computed on request and kept in an Output's fields so that a saved
// Output (and `ecco generate -json`) carries them.

// PositionPredictions is every layer's top-k at one generated position.
type PositionPredictions struct {
	Position int               `json:"position"` // the generated token's position in the sequence
	Token    string            `json:"token"`    // the token generated there
	Layers   []LayerPrediction `json:"layers"`   // one per layer, 0 first
}

// AllLayerPredictions returns each layer's top-k at every generated position (PredictionsAt for
// each); assign them to Output.Predictions to save them.
func (o *Output) AllLayerPredictions(topk int, lens Lens) ([]PositionPredictions, error) {
	var all []PositionPredictions
	for pos := o.FirstGenerated(); pos < len(o.TokenIDs); pos++ {
		layers, err := o.PredictionsAt(pos, topk, -1, lens)
		if err != nil {
			return nil, err
		}
		all = append(all, PositionPredictions{Position: pos, Token: o.Tokens[pos], Layers: layers})
	}
	return all, nil
}

// NMFSummary is a factorisation of the activations as saved: Ecco's factors and each factor's
// top neurons.
type NMFSummary struct {
	Components        int              `json:"n_components"`
	Stack             Stack            `json:"stack,omitempty"` // an encoder–decoder's stack ("": both, Ecco's)
	Layers            []int            `json:"layers"`          // model layers factorised
	Factors           [][]float64      `json:"factors"`         // [K][positions]
	TopNeurons        [][]NeuronWeight `json:"top_neurons"`     // [K][n], largest loading first
	ReconstructionErr float64          `json:"reconstruction_err"`
	Iterations        int              `json:"n_iter"`
	Converged         bool             `json:"converged"`
}

// Summary is the factorisation with each factor's top n neurons; assign it to Output.NMF to
// save it.
func (f *NeuronFactors) Summary(n int) (*NMFSummary, error) {
	s := &NMFSummary{Components: len(f.Factors()), Stack: f.Stack, Layers: f.Layers, Factors: f.Factors(),
		ReconstructionErr: f.Result.ReconstructionErr, Iterations: f.Result.Iterations, Converged: f.Result.Converged}
	for c := range s.Factors {
		top, err := f.TopNeurons(c, n)
		if err != nil {
			return nil, err
		}
		s.TopNeurons = append(s.TopNeurons, top)
	}
	return s, nil
}

// MaskResult is what was computed at one [MASK] of an encoder's text: the MLM head's top-k,
// and the attributions of its top prediction over every token of the text.
type MaskResult struct {
	Position     int                  `json:"position"`
	TopIDs       []int                `json:"top_ids"`
	TopTokens    []string             `json:"top_tokens"`
	TopProbs     []float64            `json:"top_probs"`
	Attributions map[string][]float64 `json:"attributions,omitempty"` // by method: one score per token
}

// MaskResults returns the top-k at every [MASK] with the attributions of each top prediction by
// methods; assign them to Masked to save them.
func (o *Output) MaskResults(k int, methods ...Method) ([]MaskResult, error) {
	preds, err := o.MaskedPredictions(k)
	if err != nil {
		return nil, err
	}
	var all []MaskResult
	for _, p := range preds {
		m := MaskResult{Position: p.Position, TopIDs: p.IDs, TopTokens: p.Tokens, TopProbs: p.Probs}
		for _, method := range methods {
			a, err := o.AttributeMask(method, p.Position, p.IDs[0])
			if err != nil {
				return nil, err
			}
			if m.Attributions == nil {
				m.Attributions = map[string][]float64{}
			}
			m.Attributions[string(a.Method)] = a.Scores
		}
		all = append(all, m)
	}
	return all, nil
}

// lensGridFields is LensGrid without its methods.
type lensGridFields LensGrid

// MarshalJSON writes the rank at the last position, which has no next token, as null.
func (g *LensGrid) MarshalJSON() ([]byte, error) {
	ranks := make([][]*int, len(g.NextTokenRank))
	for l, row := range g.NextTokenRank {
		ranks[l] = make([]*int, len(row))
		for t := range len(row) - 1 {
			ranks[l][t] = &row[t]
		}
	}
	return json.Marshal(struct {
		*lensGridFields
		NextTokenRank [][]*int `json:"next_token_rank"`
	}{(*lensGridFields)(g), ranks})
}

// UnmarshalJSON reads what MarshalJSON writes (null reads as 0).
func (g *LensGrid) UnmarshalJSON(data []byte) error {
	var v struct {
		*lensGridFields
		NextTokenRank [][]*int `json:"next_token_rank"`
	}
	v.lensGridFields = (*lensGridFields)(g)
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	g.NextTokenRank = make([][]int, len(v.NextTokenRank))
	for l, row := range v.NextTokenRank {
		g.NextTokenRank[l] = make([]int, len(row))
		for t, r := range row {
			if r != nil {
				g.NextTokenRank[l][t] = *r
			}
		}
	}
	return nil
}

// Saved says which results Keep computes into an Output's saved fields (what `ecco generate
// -json` asks with its flags); the zero value computes nothing.
type Saved struct {
	NMF              int  // factors over every captured layer, each with its 10 top neurons; 0: none
	Rankings         bool // the rank of each generated token at every layer (kept in Lens)
	LayerPredictions int  // each layer's top k at every generated position; 0: none
	LogitLens        bool // the lens over every position (LogitLens)
	Lens             Lens // the convention of the three above
}

// savedTopNeurons is how many neurons per factor a saved NMF lists.
const savedTopNeurons = 10

// Keep computes the results s asks for and keeps them in o's saved fields (NMF, Lens,
// Predictions, LogitLens), so that Save writes them. The logit lens needs lm.
func (o *Output) Keep(lm *LM, s Saved) error {
	if s.NMF > 0 {
		f, err := o.RunNMF(s.NMF, nil)
		if err != nil {
			return err
		}
		if o.NMF, err = f.Summary(savedTopNeurons); err != nil {
			return err
		}
	}
	if s.Rankings {
		if _, err := o.LensData(s.Lens); err != nil { // kept in o.Lens
			return err
		}
	}
	if s.LayerPredictions > 0 {
		preds, err := o.AllLayerPredictions(s.LayerPredictions, s.Lens)
		if err != nil {
			return err
		}
		o.Predictions = preds
	}
	if s.LogitLens {
		grid, err := lm.LogitLens(o.TokenIDs, s.Lens)
		if err != nil {
			return err
		}
		o.LogitLens = grid
	}
	return nil
}
