package ecco

import (
	"context"
	"fmt"
	"os"
	"slices"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/hub"
	"github.com/ecco-go/ecco/ecco/tokenizer"
)

// ModelEnv names the environment variable used when FromPretrained is given an empty name:
// it lets notebooks and tests point at a local model folder.
const ModelEnv = "ECCO_MODEL"

// LM is a loaded language model with its tokenizer, ready to generate and explain. A causal
// model (GPT-2, GPT-Neo, the LLaMA family) is in Model; an encoder (BERT) is not causal, so
// Model is nil and Encoder returns it: ForwardEncoder runs it, and the causal methods (Generate,
// Attribute, Forward, ...) return an error that says so. An encoder–decoder (T5, BART) has Model
// nil too and Seq2Seq returns it: Generate and the gradient attributions work on it (see
// seq2seq.go), the other causal methods return an error.
type LM struct {
	Name      string               // the name or path it was loaded from
	Dir       string               // the folder holding its files
	Model     family.Model         // the causal network; nil for an encoder
	Tokenizer *tokenizer.Tokenizer // the checkpoint's tokenizer
	encoder   family.Encoder       // the encoder network; nil for a causal model
	seq2seq   family.Seq2Seq       // the encoder–decoder network; nil otherwise
	opts      loadOptions
	edits     []Edit       // the neuron edits Model runs with (WithEdits)
	store     *resultStore // the notebook cache of Generate and Attribute (nil: off)
}

// FromPretrained loads a model: a folder, or a hub id ("distilgpt2", "gpt2", "org/name") found
// in the local HuggingFace cache or downloaded into it. An empty name takes $ECCO_MODEL. The
// family comes from config.json (model_type, or architectures): see SupportedModelTypes.
func FromPretrained(nameOrPath string, opts ...Option) (*LM, error) {
	var o loadOptions
	for _, opt := range opts {
		opt(&o)
	}
	if !o.cacheSet {
		o.cacheDir = notebookCacheDir()
	}
	if nameOrPath == "" {
		nameOrPath = os.Getenv(ModelEnv)
		if nameOrPath == "" {
			return nil, fmt.Errorf("ecco: no model given and $%s is not set: pass a folder or a hub id such as \"distilgpt2\"", ModelEnv)
		}
	}
	dir, err := hub.Resolve(context.Background(), nameOrPath, o.hub)
	if err != nil {
		return nil, err
	}
	if o.backend == nil {
		if o.backend, err = NewBackend(); err != nil {
			return nil, err
		}
	}
	lm := &LM{Name: nameOrPath, Dir: dir, opts: o}
	nets, err := loadModel(o.backend, dir)
	if err != nil {
		return nil, err
	}
	lm.Model, lm.encoder, lm.seq2seq = nets.model, nets.encoder, nets.seq2seq
	info := lm.Info()
	if err := checkLayers(o.layers, lm.minLayers()); err != nil {
		return nil, err
	}
	if lm.Tokenizer, err = tokenizer.LoadDir(dir); err != nil {
		return nil, err
	}
	if n := lm.Tokenizer.VocabSize(); n > info.Vocab {
		return nil, fmt.Errorf("ecco: %s: the tokenizer has %d tokens but the model's vocab_size is %d", dir, n, info.Vocab)
	}
	if o.cacheDir != "" {
		lm.store = &resultStore{dir: o.cacheDir}
	}
	noteFastPath()
	return lm, nil
}

// Info describes the network: its family, sizes and vocabulary (of an encoder–decoder, its
// decoder: EncoderInfo describes the encoder).
func (lm *LM) Info() family.Info {
	switch {
	case lm.encoder != nil:
		return lm.encoder.Info()
	case lm.seq2seq != nil:
		return lm.seq2seq.Info()
	}
	return lm.Model.Info()
}

// String is one line: family, where it came from, layers, width and vocabulary.
func (lm *LM) String() string {
	c := lm.Info()
	layers := fmt.Sprintf("%d layers", c.Layers)
	if lm.seq2seq != nil {
		layers = fmt.Sprintf("%d encoder + %d decoder layers", lm.seq2seq.EncoderInfo().Layers, c.Layers)
	}
	s := fmt.Sprintf("ecco.LM{%s %s %q: %s, width %d, vocab %d", c.ModelType, lm.kind(), lm.Name, layers, c.Width, c.Vocab)
	if len(lm.edits) > 0 {
		s += fmt.Sprintf(", %d edits", len(lm.edits))
	}
	return s + "}"
}

// kind names the sort of network: "causal LM", "encoder" or "encoder-decoder".
func (lm *LM) kind() string {
	switch {
	case lm.encoder != nil:
		return "encoder"
	case lm.seq2seq != nil:
		return "encoder-decoder"
	}
	return "causal LM"
}

// causal returns the causal network, or the error that says an encoder or an encoder–decoder is
// not one.
func (lm *LM) causal() (family.Model, error) {
	switch {
	case lm.seq2seq != nil:
		return nil, fmt.Errorf("ecco: %s (%s): %w", lm.Name, lm.Info().ModelType, errSeq2SeqOnly)
	case lm.Model == nil:
		return nil, fmt.Errorf("ecco: %s (%s): %w", lm.Name, lm.Info().ModelType, errNotCausal)
	}
	return lm.Model, nil
}

// MustFromPretrained is FromPretrained for notebooks: it panics on error.
func MustFromPretrained(nameOrPath string, opts ...Option) *LM {
	lm, err := FromPretrained(nameOrPath, opts...)
	if err != nil {
		panic(err)
	}
	return lm
}

// checkLayers validates the layers picked for activation capture.
func checkLayers(layers []int, nLayer int) error {
	seen := map[int]bool{}
	for _, l := range layers {
		if l < 0 || l >= nLayer {
			return fmt.Errorf("ecco: activation layer %d is out of range: the model has layers 0..%d", l, nLayer-1)
		}
		if seen[l] {
			return fmt.Errorf("ecco: activation layer %d is listed twice", l)
		}
		seen[l] = true
	}
	return nil
}

// activationLayers is the sorted list of captured layers (nil when activations are off).
func (lm *LM) activationLayers() []int { return lm.capturedLayers(lm.Info().Layers) }

// capturedLayers is the sorted list of captured layers of a stack of n layers (nil when
// activations are off).
func (lm *LM) capturedLayers(n int) []int {
	if !lm.opts.activations {
		return nil
	}
	if lm.opts.layers == nil {
		all := make([]int, n)
		for i := range all {
			all[i] = i
		}
		return all
	}
	return slices.Sorted(slices.Values(lm.opts.layers))
}

// Encode tokenizes text. An empty text is an error: a model needs at least one token.
func (lm *LM) Encode(text string) ([]int, error) {
	ids := lm.Tokenizer.Encode(text)
	if len(ids) == 0 {
		return nil, fmt.Errorf("ecco: the prompt %q tokenizes to nothing: give some text", text)
	}
	return ids, nil
}
