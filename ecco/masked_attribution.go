package ecco

import (
	"fmt"

	"github.com/ecco-go/ecco/display"
	"github.com/ecco-go/ecco/ecco/family"
)

// MaskAttribution is the saliency of one prediction at a [MASK]: which tokens of the text the
// MLM head's probability of TargetID there depends on.
type MaskAttribution struct {
	Method   Method    `json:"method"`
	Position int       `json:"position"`  // the [MASK]
	TargetID int       `json:"target_id"` // the token whose probability is attributed
	Target   string    `json:"target"`
	Prob     float64   `json:"prob"`   // softmax(MLM logits at Position)[TargetID]
	Scores   []float64 `json:"scores"` // one per token of the text, ≥ 0, summing to 1 (occlusion: signed drops of Prob)
}

// AttributeMask attributes, with Ecco's maths, the MLM head's probability of token id at a
// [MASK] (position -1: the first; id -1: its top prediction): F(E) = softmax(MLM logits at
// position)[id] as a function of the word-embedding rows E of every token (position and
// token-type embeddings stay inside the model); grad×input E ⊙ ∂F/∂E, gradient |∂F/∂E| or
// integrated gradients from E = 0 (Options.IGSteps Gauss–Legendre steps, 50 by default); then
// each token's L2 norm divided by their sum. Ecco offers no attribution for these models.
//
// The attention methods (attention_last, attention_rollout, value_zeroing) score the tokens by
// the [MASK]'s row instead, the same for every id (masked_attention.go); occlusion by the drop
// of F when each token's embedding is zeroed, signed and not normalised.
func (o *Output) AttributeMask(method Method, position, id int) (*MaskAttribution, error) {
	if m, err := ParseMethod(string(method)); err == nil && isAttentionMethod(m) {
		return o.attributeMaskByAttention(m, position, id)
	} else if m == Occlusion {
		return o.attributeMaskByOcclusion(position, id)
	}
	m, err := gradientMethod(method, "AttributeMask")
	if err != nil {
		return nil, err
	}
	enc, position, id, embeds, err := o.maskInputs(position, id)
	if err != nil {
		return nil, err
	}
	rows, coef := func(int, int) []float32 { return embeds }, []float32{1}
	if m == IntegratedGradients {
		steps, err := o.igSteps()
		if err != nil {
			return nil, err
		}
		var alphas []float64
		alphas, coef = igNodes(steps)
		rows = func(from, to int) []float32 { return scaledRows(embeds, alphas[from:to]) }
	}
	chunk := max(1, maskBatchPositions/len(o.TokenIDs))
	probs, grads, err := chunkedGradients(enc, []family.Target{{Position: position, ID: id}}, coef, chunk, rows)
	if err != nil {
		return nil, err
	}
	prob, grad := probs[0][0], grads[0]
	if m == IntegratedGradients {
		prob = probs[0][len(coef)-2] // the α=1 row
	}
	return &MaskAttribution{
		Method: m, Position: position, TargetID: id, Target: o.displayTokenTexts([]int{id})[0], Prob: float64(prob),
		Scores: tokenScores(embeds, grad, len(embeds)/len(o.TokenIDs), m != Gradient), // rows of E, narrower than D in ALBERT
	}, nil
}

// maskBatchPositions bounds the rows × tokens of one gradient pass: integrated gradients over a
// long text would otherwise hold 52 copies of every activation for the backward pass (bert-base,
// 128 tokens: 6.9 GB and 94 s in one batch).
const maskBatchPositions = 1024

// MaskSaliencyView draws AttributeMask in the saliency widget: the text's tokens, then the
// attributed prediction as the one "generated" token they are scored against.
func (o *Output) MaskSaliencyView(method Method, position, id int, style display.Style) (display.Saliency, error) {
	a, err := o.AttributeMask(method, position, id)
	if err != nil {
		return display.Saliency{}, err
	}
	tokens := append(o.displayTokens(), display.Token{Text: fmt.Sprintf("%s→%s", o.Tokens[a.Position], a.Target), ID: a.TargetID})
	return display.Saliency{Tokens: tokens, NInput: len(o.TokenIDs), Method: string(a.Method), Scores: [][]float64{a.Scores}, Style: style}, nil
}

// MaskSaliency displays the saliency of the prediction id at a [MASK] (-1, -1: the first [MASK]'s
// top prediction) with method, in a notebook.
func (o *Output) MaskSaliency(method Method, position, id int) error {
	return showView(o.MaskSaliencyView(method, position, id, display.StyleMinimal))
}
