package ecco

import (
	"fmt"
	"slices"

	"github.com/ecco-go/ecco/display"
	"github.com/ecco-go/ecco/ecco/family"
)

// maskTokens are the mask tokens' spellings: BERT's (DistilBERT's, ALBERT's) and RoBERTa's.
var maskTokens = []string{"[MASK]", "<mask>"}

// MaskedPrediction is the MLM head's top-k at one [MASK] token.
type MaskedPrediction struct {
	Position int       `json:"position"` // index of the [MASK] token in the sequence
	IDs      []int     `json:"top_ids"`
	Tokens   []string  `json:"top_tokens"`
	Probs    []float64 `json:"top_probs"`
}

// encoderOutput returns the encoder of the LM attached to o, checking that o came from
// ForwardEncoder and the checkpoint has its MLM head.
func (o *Output) encoderOutput() (family.Encoder, error) {
	lm := o.model()
	if lm == nil {
		return nil, fmt.Errorf("ecco: masked predictions need the model: call out.Attach(lm) first")
	}
	enc, err := lm.Encoder()
	if err != nil {
		return nil, err
	}
	if !enc.HasMLMHead() {
		return nil, fmt.Errorf("ecco: %s: %w", lm.Name, family.ErrNoMLMHead)
	}
	if len(o.Hidden) != o.Config.NLayer+1 || len(o.Hidden[0]) != len(o.TokenIDs) {
		return nil, fmt.Errorf("ecco: this Output holds no hidden states for its %d tokens: run lm.ForwardEncoder again", len(o.TokenIDs))
	}
	return enc, nil
}

// MaskPositions returns the positions of the mask tokens ([MASK]) in the sequence; a text
// without one is an error.
func (o *Output) MaskPositions() ([]int, error) {
	lm := o.model()
	if lm == nil {
		return nil, fmt.Errorf("ecco: finding [MASK] tokens needs the tokenizer: call out.Attach(lm) first")
	}
	var ids []int
	for _, tok := range maskTokens {
		if id, ok := lm.Tokenizer.TokenID(tok); ok && lm.Tokenizer.IsSpecial(id) {
			ids = append(ids, id)
		}
	}
	var positions []int
	for p, id := range o.TokenIDs {
		if slices.Contains(ids, id) {
			positions = append(positions, p)
		}
	}
	if len(positions) == 0 {
		return nil, fmt.Errorf("ecco: the text %q has no [MASK] token: masked predictions and their saliency are read at [MASK] tokens; "+
			"write [MASK] where a word should be predicted", o.Text)
	}
	return positions, nil
}

// checkMask validates position as one of the text's [MASK] tokens; -1 picks the first.
func (o *Output) checkMask(position int) (int, error) {
	masks, err := o.MaskPositions()
	if err != nil {
		return 0, err
	}
	if position == -1 {
		return masks[0], nil
	}
	if !slices.Contains(masks, position) {
		return 0, fmt.Errorf("ecco: position %d is not a [MASK] token: the [MASK] tokens are at %v (or -1 for the first)", position, masks)
	}
	return position, nil
}

// MaskedPredictions returns the MLM head's top-k tokens and probabilities at every [MASK].
func (o *Output) MaskedPredictions(k int) ([]MaskedPrediction, error) {
	if k < 1 {
		return nil, fmt.Errorf("ecco: MaskedPredictions(%d): want at least 1 token", k)
	}
	enc, err := o.encoderOutput()
	if err != nil {
		return nil, err
	}
	masks, err := o.MaskPositions()
	if err != nil {
		return nil, err
	}
	states := make([][]float32, len(masks))
	for i, p := range masks {
		states[i] = o.Hidden[o.Config.NLayer][p]
	}
	logits, err := enc.MLMHead(states)
	if err != nil {
		return nil, err
	}
	out := make([]MaskedPrediction, len(masks))
	for i, p := range masks {
		ids, probs := topK(logits[i], k)
		out[i] = MaskedPrediction{Position: p, IDs: ids, Tokens: o.displayTokenTexts(ids), Probs: probs}
	}
	return out, nil
}

// MaskedLayerPredictionsAt returns each layer's top-k at a [MASK] (-1: the first): the logit lens
// of an encoder, every layer's output read through the MLM head. The last layer's is the
// model's prediction.
func (o *Output) MaskedLayerPredictionsAt(position, topk int) ([]LayerPrediction, error) {
	if topk < 1 {
		return nil, fmt.Errorf("ecco: topk %d: want at least 1", topk)
	}
	enc, err := o.encoderOutput()
	if err != nil {
		return nil, err
	}
	if position, err = o.checkMask(position); err != nil {
		return nil, err
	}
	states := make([][]float32, o.Config.NLayer)
	for l := range states {
		states[l] = o.Hidden[l+1][position]
	}
	logits, err := enc.MLMHead(states)
	if err != nil {
		return nil, err
	}
	out := make([]LayerPrediction, len(logits))
	for l, row := range logits {
		ids, probs := topK(row, topk)
		out[l] = LayerPrediction{Layer: l, IDs: ids, Tokens: o.displayTokenTexts(ids), Probs: probs}
	}
	return out, nil
}

// MaskedPredictionsView draws MaskedLayerPredictionsAt as the layer-predictions widget.
func (o *Output) MaskedPredictionsView(position, topk int) (display.LayerPredictions, error) {
	preds, err := o.MaskedLayerPredictionsAt(position, topk)
	if err != nil {
		return display.LayerPredictions{}, err
	}
	position, _ = o.checkMask(position)
	v := display.LayerPredictions{Position: position}
	for _, p := range preds {
		v.Layers = append(v.Layers, display.LayerTopK{Layer: p.Layer, Tokens: p.Tokens, IDs: p.IDs, Probs: p.Probs})
	}
	return v, nil
}

// ShowMaskedPredictions displays every layer's top-k at a [MASK] (-1: the first) in a notebook.
func (o *Output) ShowMaskedPredictions(position, topk int) error {
	return showView(o.MaskedPredictionsView(position, topk))
}

// isMaskedText reports whether o is an encoder's Output with a [MASK] to explain.
func (o *Output) isMaskedText() bool {
	if lm := o.model(); lm == nil || !lm.IsEncoder() {
		return false
	}
	_, err := o.MaskPositions()
	return err == nil
}
