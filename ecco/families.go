package ecco

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/ecco-go/ecco/ecco/bart"
	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/gemma"
	"github.com/ecco-go/ecco/ecco/gpt2"
	"github.com/ecco-go/ecco/ecco/gptneo"
	"github.com/ecco-go/ecco/ecco/llama"
	"github.com/ecco-go/ecco/ecco/neox"
	"github.com/ecco-go/ecco/ecco/t5"
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
		"gpt_neox":    func(b compute.Backend, dir string) (family.Model, error) { return neox.Load(b, dir) },
	}
	encoders = map[string]func(compute.Backend, string) (family.Encoder, error){
		// One runtime, ecco/bert, with each family's layout as data (see encoder.go).
		"bert":        loadEncoder,
		"roberta":     loadEncoder,
		"xlm-roberta": loadEncoder,
		"camembert":   loadEncoder,
		"distilbert":  loadEncoder,
		"albert":      loadEncoder,
		"electra":     loadEncoder,
	}
	// seq2seqs maps the encoder–decoder types: ecco/t5 reads T5 and mT5, ecco/bart BART and, by
	// configuration switches, mBART and Pegasus.
	seq2seqs = map[string]func(compute.Backend, string) (family.Seq2Seq, error){
		"t5": t5.Load, "mt5": t5.Load, "bart": bart.Load, "mbart": bart.Load, "pegasus": bart.Load,
	}
)

// architectures maps config.json's architectures to a model_type, for configs without one.
var architectures = map[string]string{
	"GPT2LMHeadModel": "gpt2", "GPTNeoForCausalLM": "gpt_neo", "LlamaForCausalLM": "llama",
	"MistralForCausalLM": "mistral", "Qwen2ForCausalLM": "qwen2", "Qwen3ForCausalLM": "qwen3",
	"Gemma2ForCausalLM": "gemma2", "Gemma3ForCausalLM": "gemma3_text", "GPTNeoXForCausalLM": "gpt_neox",
	"BertForMaskedLM": "bert", "BertModel": "bert",
	"RobertaForMaskedLM": "roberta", "RobertaModel": "roberta",
	"XLMRobertaForMaskedLM": "xlm-roberta", "XLMRobertaModel": "xlm-roberta",
	"CamembertForMaskedLM": "camembert", "CamembertModel": "camembert",
	"DistilBertForMaskedLM": "distilbert", "DistilBertModel": "distilbert",
	"AlbertForMaskedLM": "albert", "AlbertModel": "albert",
	"ElectraModel": "electra", "ElectraForPreTraining": "electra",
	"T5ForConditionalGeneration": "t5", "MT5ForConditionalGeneration": "mt5", "BartForConditionalGeneration": "bart",
	"MBartForConditionalGeneration": "mbart", "PegasusForConditionalGeneration": "pegasus",
}

// notYet maps model types of Ecco's model list (and close kin) that ecco-go does not load to
// what they are, so the error says the family is known and missing rather than misspelt.
var notYet = map[string]string{
	"deberta-v2": "an encoder with relative attention",
	"mpnet":      "an encoder with relative attention",
}

// SupportedModelTypes lists the config.json model_type values FromPretrained loads.
func SupportedModelTypes() []string {
	all := slices.Concat(slices.Collect(maps.Keys(loaders)), slices.Collect(maps.Keys(encoders)), slices.Collect(maps.Keys(seq2seqs)))
	return slices.Sorted(slices.Values(all))
}

// networks is what loadModel loaded: exactly one of the three is set.
type networks struct {
	model   family.Model
	encoder family.Encoder
	seq2seq family.Seq2Seq
}

// loadModel picks the family from dir's config.json and loads the model with it: a causal
// model, an encoder or an encoder–decoder.
func loadModel(backend compute.Backend, dir string) (networks, error) {
	data, err := family.ReadConfig(os.DirFS(dir))
	if err != nil {
		return networks{}, fmt.Errorf("ecco: %s: %w", dir, err)
	}
	kind, err := family.ParseKind(data)
	if err != nil {
		return networks{}, fmt.Errorf("ecco: %s: %w", dir, err)
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
		return networks{encoder: enc}, err
	}
	if load, ok := seq2seqs[modelType]; ok {
		s, err := load(backend, dir)
		return networks{seq2seq: s}, err
	}
	load, ok := loaders[modelType]
	if what, known := notYet[modelType]; known && !ok {
		return networks{}, fmt.Errorf("ecco: %s/%s: model_type %q (%s) is not supported yet: supported model types are %s",
			dir, family.ConfigFile, modelType, what, strings.Join(SupportedModelTypes(), ", "))
	}
	if !ok {
		return networks{}, fmt.Errorf("ecco: %s/%s: model_type %q (architectures %q) is not supported: supported model types are %s",
			dir, family.ConfigFile, kind.ModelType, kind.Architectures, strings.Join(SupportedModelTypes(), ", "))
	}
	m, err := load(backend, dir)
	return networks{model: m}, err
}

func loadLlama(b compute.Backend, dir string) (family.Model, error) { return llama.Load(b, dir) }

func loadGemma(b compute.Backend, dir string) (family.Model, error) { return gemma.Load(b, dir) }
