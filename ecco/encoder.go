package ecco

import (
	"errors"
	"fmt"

	"github.com/ecco-go/ecco/ecco/bert"
	"github.com/ecco-go/ecco/ecco/family"
	"github.com/gomlx/compute"
)

// errNotCausal is what the causal entry points return for an encoder.
var errNotCausal = errors.New("it is an encoder (masked language model), which neither generates nor predicts the next token: " +
	"run it with lm.ForwardEncoder(text) (CLI: ecco forward), then MaskedPredictions and MaskedAttribution at its [MASK] tokens")

// loadEncoder loads an encoder checkpoint (BERT, RoBERTa, DistilBERT, ALBERT, ELECTRA).
func loadEncoder(backend compute.Backend, dir string) (family.Encoder, error) {
	return bert.Load(backend, dir)
}

// Encoder returns the LM's network as an encoder, or an error for a causal model.
func (lm *LM) Encoder() (family.Encoder, error) {
	if lm.encoder == nil {
		return nil, fmt.Errorf("ecco: %s is a causal language model (%s), not an encoder: use Generate or Attribute", lm.Name, lm.Info().ModelType)
	}
	return lm.encoder, nil
}

// IsEncoder reports whether the LM is an encoder (BERT, RoBERTa, …): ForwardEncoder runs it,
// Generate does not.
func (lm *LM) IsEncoder() bool { return lm.encoder != nil }

// ForwardEncoder runs an encoder once over text, as Ecco's lm(inputs) does for its "mlm"
// models: the Output holds every token ([CLS] … [SEP] or <s> … </s> included, as the tokenizer's
// post-processor adds them), the hidden states at every position and, when the LM was loaded
// with activations, the FFN neurons of every position (the input of each layer's FFN output
// linear, Info.Capture: output.dense, ffn.lin2 or ffn_output). RunNMF and Explore work on it as
// on a generated Output; MaskedPredictions and AttributeMask read its mask tokens.
func (lm *LM) ForwardEncoder(text string) (*Output, error) {
	enc, err := lm.Encoder()
	if err != nil {
		return nil, err
	}
	ids := lm.Tokenizer.EncodeWithSpecialTokens(text)
	if len(ids) == 0 {
		return nil, fmt.Errorf("ecco: the text %q tokenizes to nothing: give some text", text)
	}
	if limit := enc.Info().Positions; len(ids) > limit {
		return nil, fmt.Errorf("ecco: the text is %d tokens (with the special tokens), more than the model's %d positions (max_position_embeddings): shorten it", len(ids), limit)
	}
	rec := newRecorder(lm)
	step, err := enc.Forward(ids, rec.stepOptions())
	if err != nil {
		return nil, err
	}
	rec.add(step)
	out := lm.newOutput(ids, len(ids), GenerateOptions{AllPositions: true})
	rec.fill(out)
	return out, nil
}
