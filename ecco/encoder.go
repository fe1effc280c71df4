package ecco

import (
	"errors"
	"fmt"

	"github.com/ecco-go/ecco/ecco/bert"
	"github.com/ecco-go/ecco/ecco/family"
	"github.com/gomlx/compute"
)

// encoderModel puts a family.Encoder where LM keeps its family.Model: Info and Backend are the
// encoder's, and everything causal (Step, its gradients, the LM head) fails with one error
// that says what to call instead, so Generate, Attribute, Forward and the logit lens refuse an
// encoder cleanly.
type encoderModel struct{ enc family.Encoder }

var _ family.Model = encoderModel{}

// errNotCausal is what the causal entry points return for an encoder.
var errNotCausal = errors.New("it is an encoder (masked language model), which neither generates nor predicts the next token: " +
	"run it with lm.ForwardEncoder(text) (CLI: ecco forward), then MaskedPredictions and MaskedAttribution at its [MASK] tokens")

func (e encoderModel) Info() family.Info                       { return e.enc.Info() }
func (e encoderModel) Backend() compute.Backend                { return e.enc.Backend() }
func (e encoderModel) Embeddings(ids []int) ([]float32, error) { return e.enc.Embeddings(ids) }
func (e encoderModel) Step([]int, *family.Cache, family.StepOptions) (*family.StepOutput, error) {
	return nil, e.notCausal()
}
func (e encoderModel) EmbeddingGradients([]float32, int, []family.Target, []float32) ([][]float32, [][]float32, error) {
	return nil, nil, e.notCausal()
}
func (e encoderModel) LMHead([][]float32, bool) ([][]float32, error) { return nil, e.notCausal() }

func (e encoderModel) notCausal() error {
	return fmt.Errorf("ecco: this %s model: %w", e.enc.Info().ModelType, errNotCausal)
}

// loadEncoder loads an encoder checkpoint (BERT, RoBERTa, DistilBERT, ALBERT, ELECTRA).
func loadEncoder(backend compute.Backend, dir string) (family.Model, error) {
	m, err := bert.Load(backend, dir)
	if err != nil {
		return nil, err
	}
	return encoderModel{m}, nil
}

// Encoder returns the LM's network as an encoder, or an error for a causal model.
func (lm *LM) Encoder() (family.Encoder, error) {
	if e, ok := lm.Model.(encoderModel); ok {
		return e.enc, nil
	}
	return nil, fmt.Errorf("ecco: %s is a causal language model (%s), not an encoder: use Generate or Attribute", lm.Name, lm.Model.Info().ModelType)
}

// IsEncoder reports whether the LM is an encoder (BERT, RoBERTa, …): ForwardEncoder runs it,
// Generate does not.
func (lm *LM) IsEncoder() bool {
	_, ok := lm.Model.(encoderModel)
	return ok
}

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
