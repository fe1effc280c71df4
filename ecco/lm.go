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

// LM is a loaded language model with its tokenizer, ready to generate and explain.
type LM struct {
	Name      string               // the name or path it was loaded from
	Dir       string               // the folder holding its files
	Model     family.Model         // the network, of any supported family
	Tokenizer *tokenizer.Tokenizer // GPT-2's byte-level BPE
	opts      loadOptions
	edits     []Edit // the neuron edits Model runs with (WithEdits)
}

// FromPretrained loads a model: a folder, or a hub id ("distilgpt2", "gpt2", "org/name") found
// in the local HuggingFace cache or downloaded into it. An empty name takes $ECCO_MODEL. The
// family comes from config.json (model_type, or architectures): see SupportedModelTypes.
func FromPretrained(nameOrPath string, opts ...Option) (*LM, error) {
	var o loadOptions
	for _, opt := range opts {
		opt(&o)
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
	model, err := loadModel(o.backend, dir)
	if err != nil {
		return nil, err
	}
	info := model.Info()
	if err := checkLayers(o.layers, info.Layers); err != nil {
		return nil, err
	}
	tok, err := tokenizer.LoadDir(dir)
	if err != nil {
		return nil, err
	}
	if tok.VocabSize() > info.Vocab {
		return nil, fmt.Errorf("ecco: %s: the tokenizer has %d tokens but the model's vocab_size is %d", dir, tok.VocabSize(), info.Vocab)
	}
	return &LM{Name: nameOrPath, Dir: dir, Model: model, Tokenizer: tok, opts: o}, nil
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
func (lm *LM) activationLayers() []int {
	if !lm.opts.activations {
		return nil
	}
	if lm.opts.layers == nil {
		all := make([]int, lm.Model.Info().Layers)
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
