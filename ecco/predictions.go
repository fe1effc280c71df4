package ecco

import (
	"fmt"
)

// LayerPrediction is what one layer would predict at one position.
type LayerPrediction struct {
	Layer  int       `json:"layer"` // 0-based
	IDs    []int     `json:"top_ids"`
	Tokens []string  `json:"top_tokens"`
	Probs  []float64 `json:"top_probs"`
}

// checkPosition validates a position of the sequence that holds a generated token: the logit
// lens reads the state one position earlier, which produced it.
func (o *Output) checkPosition(position int) (int, error) {
	first, last := o.FirstGenerated(), len(o.TokenIDs)-1
	if o.NGenerated() == 0 {
		return 0, fmt.Errorf("ecco: position %d: this Output has no generated tokens", position)
	}
	if position < first || position > last {
		start := ""
		if o.EncoderDecoder {
			start = fmt.Sprintf("; the decoder's start token is at %d", o.NInput)
		}
		return 0, fmt.Errorf("ecco: position %d is not a generated position: valid positions are %d..%d (the prompt has %d tokens, positions 0..%d%s)",
			position, first, last, o.NInput, o.NInput-1, start)
	}
	return position - first, nil
}

// PredictionsAt returns, for the generated token at position, each layer's top-k tokens and
// probabilities: the numbers of Ecco's layer_predictions (which LayerPredictions displays).
// layer < 0 means every layer.
func (o *Output) PredictionsAt(position, topk, layer int, lens Lens) ([]LayerPrediction, error) {
	lens, err := ParseLens(string(lens))
	if err != nil {
		return nil, err
	}
	j, err := o.checkPosition(position)
	if err != nil {
		return nil, err
	}
	if topk < 1 {
		return nil, fmt.Errorf("ecco: topk %d: want at least 1", topk)
	}
	if layer >= o.Config.NLayer {
		return nil, fmt.Errorf("ecco: layer %d: the model has layers 0..%d (or -1 for all)", layer, o.Config.NLayer-1)
	}
	layers := []int{layer}
	if layer < 0 {
		layers = layers[:0]
		for l := range o.Config.NLayer {
			layers = append(layers, l)
		}
	}
	var perLayer [][]float32 // fresh logits when more than the kept top-k are asked
	if topk > lensTopK {
		logits, err := o.layerLogits(lens, []int{position - 1})
		if err != nil {
			return nil, err
		}
		for _, l := range logits {
			perLayer = append(perLayer, l[0])
		}
	}
	d, err := o.LensData(lens)
	if err != nil {
		return nil, err
	}
	var out []LayerPrediction
	for _, l := range layers {
		ids, probs, tokens := d.TopIDs[j][l], d.TopProbs[j][l], d.TopTokens[j][l]
		if perLayer != nil {
			ids, probs = topK(perLayer[l], topk)
			tokens = o.displayTokenTexts(ids)
		}
		n := min(topk, len(ids))
		out = append(out, LayerPrediction{Layer: l, IDs: ids[:n], Tokens: tokens[:n], Probs: probs[:n]})
	}
	return out, nil
}

// WatchRanks returns the rank (1 = top) of each watched token id at every layer, for the
// generated token at position: [L][len(ids)], the numbers of Ecco's rankings_watch (which
// RankingsWatch displays).
func (o *Output) WatchRanks(position int, lens Lens, ids ...int) ([][]int, error) {
	lens, err := ParseLens(string(lens))
	if err != nil {
		return nil, err
	}
	if _, err := o.checkPosition(position); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("ecco: rankings_watch needs at least one token to watch")
	}
	for _, id := range ids {
		if id < 0 || id >= o.Config.VocabSize {
			return nil, fmt.Errorf("ecco: watched id %d is outside the vocabulary [0, %d)", id, o.Config.VocabSize)
		}
	}
	logits, err := o.layerLogits(lens, []int{position - 1})
	if err != nil {
		return nil, err
	}
	ranks := make([][]int, len(logits))
	for l := range logits {
		for _, id := range ids {
			ranks[l] = append(ranks[l], rankOf(logits[l][0], id))
		}
	}
	return ranks, nil
}

// WatchIDs turns words into token ids for RankingsWatch; each must be exactly one token
// (mind the leading space: " is" and "is" are different tokens).
func (o *Output) WatchIDs(words ...string) ([]int, error) {
	lm := o.model()
	if lm == nil {
		return nil, fmt.Errorf("ecco: tokenizing watched words needs the model: call out.Attach(lm) first")
	}
	var ids []int
	for _, w := range words {
		t := lm.Tokenizer.Encode(w)
		if len(t) != 1 {
			return nil, fmt.Errorf("ecco: watched word %q is %d tokens, want exactly one", w, len(t))
		}
		ids = append(ids, t[0])
	}
	return ids, nil
}

// displayTokens shows ids with the attached tokenizer, or as "#id" without one.
func (o *Output) displayTokenTexts(ids []int) []string {
	lm := o.model()
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = fmt.Sprintf("#%d", id)
		if lm != nil {
			out[i] = lm.Tokenizer.DisplayToken(id)
		}
	}
	return out
}
