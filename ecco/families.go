package ecco

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/gemma"
	"github.com/ecco-go/ecco/ecco/gpt2"
	"github.com/ecco-go/ecco/ecco/gptneo"
	"github.com/ecco-go/ecco/ecco/llama"
	"github.com/gomlx/compute"
)

// loaders maps config.json's model_type to the family package that loads it; encoders maps the
// encoder (masked language model) types.
var (
	loaders = map[string]func(compute.Backend, string) (family.Model, error){
		"gpt2":        func(b compute.Backend, dir string) (family.Model, error) { return gpt2.Load(b, dir) },
		"gpt_neo":     func(b compute.Backend, dir string) (family.Model, error) { return gptneo.Load(b, dir) },
		"llama":       loadLlama,
		"mistral":     loadLlama,
		"qwen2":       loadLlama,
		"qwen3":       loadLlama,
		"gemma2":      loadGemma,
		"gemma3_text": loadGemma,
	}
	encoders = map[string]func(compute.Backend, string) (family.Encoder, error){
		"bert": loadBERT, // see encoder.go
	}
)

// architectures maps config.json's architectures to a model_type, for configs without one.
var architectures = map[string]string{
	"GPT2LMHeadModel": "gpt2", "GPTNeoForCausalLM": "gpt_neo", "LlamaForCausalLM": "llama",
	"MistralForCausalLM": "mistral", "Qwen2ForCausalLM": "qwen2", "Qwen3ForCausalLM": "qwen3",
	"Gemma2ForCausalLM": "gemma2", "Gemma3ForCausalLM": "gemma3_text",
	"BertForMaskedLM": "bert", "BertModel": "bert",
}

// SupportedModelTypes lists the config.json model_type values FromPretrained loads.
func SupportedModelTypes() []string {
	return slices.Sorted(func(yield func(string) bool) {
		for t := range maps.Keys(loaders) {
			if !yield(t) {
				return
			}
		}
		for t := range maps.Keys(encoders) {
			if !yield(t) {
				return
			}
		}
	})
}

// loadModel picks the family from dir's config.json and loads the model with it: a causal model
// or an encoder.
func loadModel(backend compute.Backend, dir string) (family.Model, family.Encoder, error) {
	data, err := family.ReadConfig(os.DirFS(dir))
	if err != nil {
		return nil, nil, fmt.Errorf("ecco: %s: %w", dir, err)
	}
	kind, err := family.ParseKind(data)
	if err != nil {
		return nil, nil, fmt.Errorf("ecco: %s: %w", dir, err)
	}
	modelType := kind.ModelType
	if modelType == "" {
		for _, a := range kind.Architectures {
			if t, ok := architectures[a]; ok {
				modelType = t
				break
			}
		}
	}
	if load, ok := encoders[modelType]; ok {
		enc, err := load(backend, dir)
		return nil, enc, err
	}
	load, ok := loaders[modelType]
	if !ok {
		return nil, nil, fmt.Errorf("ecco: %s/%s: model_type %q (architectures %q) is not supported: supported model types are %s",
			dir, family.ConfigFile, kind.ModelType, kind.Architectures, strings.Join(SupportedModelTypes(), ", "))
	}
	m, err := load(backend, dir)
	return m, nil, err
}

func loadLlama(b compute.Backend, dir string) (family.Model, error) { return llama.Load(b, dir) }

func loadGemma(b compute.Backend, dir string) (family.Model, error) { return gemma.Load(b, dir) }
