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

// loaders maps config.json's model_type to the family package that loads it.
var loaders = map[string]func(compute.Backend, string) (family.Model, error){
	"gpt2":        func(b compute.Backend, dir string) (family.Model, error) { return gpt2.Load(b, dir) },
	"gpt_neo":     func(b compute.Backend, dir string) (family.Model, error) { return gptneo.Load(b, dir) },
	"llama":       loadLlama,
	"mistral":     loadLlama,
	"qwen2":       loadLlama,
	"qwen3":       loadLlama,
	"gemma2":      loadGemma,
	"gemma3_text": loadGemma,
	"bert":        loadBERT, // an encoder: see encoder.go
}

// architectures maps config.json's architectures to a model_type, for configs without one.
var architectures = map[string]string{
	"GPT2LMHeadModel": "gpt2", "GPTNeoForCausalLM": "gpt_neo", "LlamaForCausalLM": "llama",
	"MistralForCausalLM": "mistral", "Qwen2ForCausalLM": "qwen2", "Qwen3ForCausalLM": "qwen3",
	"Gemma2ForCausalLM": "gemma2", "Gemma3ForCausalLM": "gemma3_text",
	"BertForMaskedLM": "bert", "BertModel": "bert",
}

// SupportedModelTypes lists the config.json model_type values FromPretrained loads.
func SupportedModelTypes() []string { return slices.Sorted(maps.Keys(loaders)) }

// loadModel picks the family from dir's config.json and loads the model with it.
func loadModel(backend compute.Backend, dir string) (family.Model, error) {
	data, err := family.ReadConfig(os.DirFS(dir))
	if err != nil {
		return nil, fmt.Errorf("ecco: %s: %w", dir, err)
	}
	kind, err := family.ParseKind(data)
	if err != nil {
		return nil, fmt.Errorf("ecco: %s: %w", dir, err)
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
	load, ok := loaders[modelType]
	if !ok {
		return nil, fmt.Errorf("ecco: %s/%s: model_type %q (architectures %q) is not supported: supported model types are %s",
			dir, family.ConfigFile, kind.ModelType, kind.Architectures, strings.Join(SupportedModelTypes(), ", "))
	}
	return load(backend, dir)
}

func loadLlama(b compute.Backend, dir string) (family.Model, error) { return llama.Load(b, dir) }

func loadGemma(b compute.Backend, dir string) (family.Model, error) { return gemma.Load(b, dir) }
