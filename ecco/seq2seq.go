package ecco

import (
	"errors"
	"fmt"
	"slices"

	"github.com/ecco-go/ecco/ecco/family"
)

// Encoder–decoder models (T5, BART) as Ecco explains them. The Output of Generate holds the
// NInput encoder (source) tokens, then the decoder's start token, then the generated ones
// (Ecco's token_ids and n_input_tokens); EncoderDecoder marks it. Attribution entry i scores the
// tokens before generated token i: the encoder tokens, then the decoder inputs start … g(i−1).
// Activations, Hidden and the logit lens are the decoder's, over the decoder inputs (start +
// generated[:-1], Ecco's positions); EncoderActivations are the encoder's, over the source.

// errSeq2SeqOnly is what the causal-only entry points return for an encoder–decoder.
var errSeq2SeqOnly = errors.New("it is an encoder-decoder model (T5, BART): Generate and Attribute explain it, with the attributions " +
	"grad_x_input, gradient and integrated_gradients, activations, NMF, rankings and layer predictions; " +
	"this call needs a causal model")

// Seq2Seq returns the LM's network as an encoder–decoder, or an error for the other kinds.
func (lm *LM) Seq2Seq() (family.Seq2Seq, error) {
	if lm.seq2seq == nil {
		return nil, fmt.Errorf("ecco: %s is a %s (%s), not an encoder-decoder", lm.Name, lm.kind(), lm.Info().ModelType)
	}
	return lm.seq2seq, nil
}

// IsEncoderDecoder reports whether the LM is an encoder–decoder (T5, BART).
func (lm *LM) IsEncoderDecoder() bool { return lm.seq2seq != nil }

// minLayers is the fewest layers of the LM's stacks: the bound of WithActivationLayers, whose
// layers an encoder–decoder captures in both stacks.
func (lm *LM) minLayers() int {
	if lm.seq2seq != nil {
		return min(lm.seq2seq.Info().Layers, lm.seq2seq.EncoderInfo().Layers)
	}
	return lm.Info().Layers
}

// encoderActivationLayers is the sorted list of captured encoder layers (nil when activations
// are off).
func (lm *LM) encoderActivationLayers() []int {
	if lm.seq2seq == nil {
		return nil
	}
	return lm.capturedLayers(lm.seq2seq.EncoderInfo().Layers)
}

// seq2seqMethod accepts the gradient methods, the ones Ecco computes for encoder–decoders.
func seq2seqMethod(m Method) error {
	if m != GradXInput && m != Gradient && m != IntegratedGradients {
		return fmt.Errorf("ecco: attribution %s is not available for an encoder-decoder model: use %s, %s or %s",
			m, GradXInput, Gradient, IntegratedGradients)
	}
	return nil
}

// FirstGenerated is the position of the first generated token in TokenIDs: NInput, or
// NInput+1 for an encoder–decoder, whose decoder start token sits between.
func (o *Output) FirstGenerated() int {
	if o.EncoderDecoder {
		return o.NInput + 1
	}
	return o.NInput
}

// hiddenOffset is the sequence position of Hidden's first entry: 0, or NInput for an
// encoder–decoder, whose hidden states are the decoder's (from its start token on).
func (o *Output) hiddenOffset() int {
	if o.EncoderDecoder {
		return o.NInput
	}
	return 0
}

// seq2seqGradients presents an encoder–decoder's EmbeddingGradients as a causal model's over
// one sequence: the n encoder embeddings, then the decoder's. Target positions count over that
// sequence; the gradients come back concatenated the same way. So the attribution code of causal
// models (target groups, integrated-gradient chunks, token scores) runs on it unchanged, and
// Ecco's maths follow: both embeddings are inputs, scaled by the same α, and the per-token norms
// are normalised over encoder and decoder tokens together.
type seq2seqGradients struct {
	m family.Seq2Seq
	n int // encoder tokens
}

func (s seq2seqGradients) Embeddings(ids []int) ([]float32, error) { return s.m.Embeddings(ids) }

func (s seq2seqGradients) EmbeddingGradients(embeds []float32, batch int, targets []family.Target, coef []float32) (probs, grads [][]float32, err error) {
	d := s.m.Info().Width
	row := len(embeds) / batch
	if batch < 1 || row*batch != len(embeds) || row%d != 0 || row/d <= s.n {
		return nil, nil, fmt.Errorf("ecco: %d embedding values in %d rows do not hold %d encoder tokens and at least one decoder token of width %d", len(embeds), batch, s.n, d)
	}
	split := s.n * d
	enc := make([]float32, 0, batch*split)
	dec := make([]float32, 0, len(embeds)-batch*split)
	for b := range batch {
		r := embeds[b*row : (b+1)*row]
		enc, dec = append(enc, r[:split]...), append(dec, r[split:]...)
	}
	shifted := make([]family.Target, len(targets))
	for j, t := range targets {
		shifted[j] = family.Target{Position: t.Position - s.n, ID: t.ID}
	}
	probs, encGrads, decGrads, err := s.m.EmbeddingGradients(enc, dec, batch, shifted, coef)
	if err != nil {
		return nil, nil, err
	}
	grads = make([][]float32, len(targets))
	for j := range targets {
		grads[j] = slices.Concat(encGrads[j], decGrads[j])
	}
	return probs, grads, nil
}

// TargetsPerCall and GradientRows pass the family's preferences on (see attribution.go).
func (s seq2seqGradients) TargetsPerCall() int { return targetsPerCall(s.m) }
func (s seq2seqGradients) GradientRows() int   { return gradientRows(s.m) }
