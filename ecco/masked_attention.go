package ecco

import (
	"fmt"

	"github.com/ecco-go/ecco/display"
	"github.com/ecco-go/ecco/ecco/family"
)

// encoderAttention runs enc once over ids for its attention probabilities [L][H][T][T].
func encoderAttention(enc family.Encoder, ids []int) ([][][][]float32, error) {
	s, err := enc.Forward(ids, family.StepOptions{Attention: true})
	if err != nil {
		return nil, fmt.Errorf("ecco: attention: %w", err)
	}
	return s.Attention, nil
}

// maskTarget checks a [MASK] position (-1: the first) and token id (-1: the top prediction
// there; else within the vocabulary) and returns them with the encoder and the MLM head's
// logits at the position (nil when id was given).
func (o *Output) maskTarget(position, id int) (enc family.Encoder, pos, target int, logits []float32, err error) {
	if enc, err = o.encoderOutput(); err != nil {
		return nil, 0, 0, nil, err
	}
	if position, err = o.checkMask(position); err != nil {
		return nil, 0, 0, nil, err
	}
	if id >= o.Config.VocabSize {
		return nil, 0, 0, nil, fmt.Errorf("ecco: token id %d is outside the vocabulary [0, %d)", id, o.Config.VocabSize)
	}
	if id < 0 {
		preds, err := enc.MLMHead([][]float32{o.Hidden[o.Config.NLayer][position]})
		if err != nil {
			return nil, 0, 0, nil, err
		}
		logits, id = preds[0], argmax32(preds[0])
	}
	return enc, position, id, logits, nil
}

// maskInputs is maskTarget with the text's word-embedding rows [T, E] instead of logits.
func (o *Output) maskInputs(position, id int) (enc family.Encoder, pos, target int, embeds []float32, err error) {
	if enc, pos, target, _, err = o.maskTarget(position, id); err != nil {
		return nil, 0, 0, nil, err
	}
	embeds, err = enc.Embeddings(o.TokenIDs)
	return enc, pos, target, embeds, err
}

// attributeMaskByAttention is AttributeMask for the attention methods: the [MASK]'s row of the
// last layer's head-averaged attention, of attention rollout (Â_l = 0.5·mean_heads(A_l) + 0.5·I,
// rows renormalised) or of value zeroing's rollout, over every token of the text (each sums
// to 1). Prob is the MLM head's probability of id there, as for the gradient methods.
func (o *Output) attributeMaskByAttention(m Method, position, id int) (*MaskAttribution, error) {
	enc, position, id, logits, err := o.maskTarget(position, id)
	if err != nil {
		return nil, err
	}
	if logits == nil {
		preds, err := enc.MLMHead([][]float32{o.Hidden[o.Config.NLayer][position]})
		if err != nil {
			return nil, err
		}
		logits = preds[0]
	}
	var scores []float64
	if m == ValueZeroing {
		mix, err := o.model().ValueZeroing(o.TokenIDs)
		if err != nil {
			return nil, err
		}
		scores = valueZeroingRollout(mix, []int{position})[0]
	} else {
		att, err := o.attention()
		if err != nil {
			return nil, err
		}
		if err := (display.HeadView{Tokens: o.displayTokens(), Attention: att}).Validate(); err != nil {
			return nil, fmt.Errorf("ecco: attribution %s from the Output's attention: %w", m, err)
		}
		if m == LastLayerAttention {
			scores = headMean(att[len(att)-1], position)
		} else {
			scores = attentionRollout(att, []int{position})[0]
		}
	}
	return &MaskAttribution{
		Method: m, Position: position, TargetID: id, Target: o.displayTokenTexts([]int{id})[0],
		Prob: softmax64(logits)[id], Scores: scores,
	}, nil
}

// attributeMaskByOcclusion is AttributeMask for Occlusion: score t is F(E) − F(E with token t's
// word embedding zeroed), F = softmax(MLM logits at position)[id], every token of the text
// occluded in turn in batched passes (all weights 0: F is read, nothing differentiated).
func (o *Output) attributeMaskByOcclusion(position, id int) (*MaskAttribution, error) {
	enc, position, id, embeds, err := o.maskInputs(position, id)
	if err != nil {
		return nil, err
	}
	t := len(o.TokenIDs)
	d := len(embeds) / t
	baseline := make([]float32, d)
	f, _, err := chunkedGradients(enc, []family.Target{{Position: position, ID: id}}, make([]float32, t+1), max(1, maskBatchPositions/t),
		func(from, to int) []float32 { return occludedRows(embeds, baseline, d, from, to) })
	if err != nil {
		return nil, err
	}
	scores := make([]float64, t)
	for p := range scores {
		scores[p] = float64(f[0][0]) - float64(f[0][1+p])
	}
	return &MaskAttribution{
		Method: Occlusion, Position: position, TargetID: id, Target: o.displayTokenTexts([]int{id})[0],
		Prob: float64(f[0][0]), Scores: scores,
	}, nil
}
