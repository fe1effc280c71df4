package bert

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/decoder"
	"github.com/ecco-go/ecco/ecco/safetensors"
	"github.com/gomlx/compute"
)

// Checkpoint prefixes: BertForMaskedLM (and BertForPreTraining) store the encoder under "bert.",
// a BertModel saves it bare; the MLM head is "cls.predictions.*" in both.
const (
	encoderPrefix = "bert."
	headPrefix    = "cls.predictions."
	headProbe     = headPrefix + "transform.dense.weight"
)

// Load reads config.json and the safetensors weights (one file or shards) from dir and puts
// them on backend.
func Load(backend compute.Backend, dir string) (*Model, error) {
	data, err := family.ReadConfig(os.DirFS(dir))
	if err != nil {
		return nil, fmt.Errorf("bert: %s: %w", dir, err)
	}
	cfg, err := ParseConfig(data)
	if err != nil {
		return nil, fmt.Errorf("bert: %s/%s: %w", dir, family.ConfigFile, err)
	}
	src, err := safetensors.OpenDir(dir)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	return LoadWeights(backend, cfg, src, dir)
}

// LoadWeights checks and reads the weights cfg implies from src (where names it in errors):
// the encoder with or without the "bert." prefix, and the MLM head when the checkpoint has it.
func LoadWeights(backend compute.Backend, cfg *Config, src decoder.Source, where string) (*Model, error) {
	src = newTFNames(src)
	names := src.Names()
	prefix := ""
	if slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(n, encoderPrefix) }) {
		prefix = encoderPrefix
	}
	head := slices.Contains(names, headProbe)
	w, err := decoder.Read(src, cfg.Spec(prefix, head), where)
	if err != nil {
		return nil, err
	}
	// Keep BertModel's names whatever the checkpoint's prefix.
	bare := w.Renamed(func(name string) string { return strings.TrimPrefix(name, prefix) })
	return New(backend, cfg, head, bare)
}

// Spec lists the tensors of a checkpoint of c (nn.Linear weights [out, in]), the encoder's under
// prefix, plus the MLM head when head is set. Buffers, the pooler, the next-sentence head and a
// stored copy of the tied decoder are accepted and ignored.
func (c *Config) Spec(prefix string, head bool) decoder.Spec {
	d, n := c.Width, c.Inner
	want := map[string][]int{
		prefix + wordKey: {c.Vocab, d},
		prefix + "embeddings.position_embeddings.weight": {c.Positions, d},
		prefix + typeKey:                       {c.TypeVocab, d},
		prefix + "embeddings.LayerNorm.weight": {d},
		prefix + "embeddings.LayerNorm.bias":   {d},
	}
	for i := range c.Layers {
		l := fmt.Sprintf("%sencoder.layer.%d.", prefix, i)
		for name, shape := range map[string][]int{
			"attention.self.query.weight": {d, d}, "attention.self.query.bias": {d},
			"attention.self.key.weight": {d, d}, "attention.self.key.bias": {d},
			"attention.self.value.weight": {d, d}, "attention.self.value.bias": {d},
			"attention.output.dense.weight": {d, d}, "attention.output.dense.bias": {d},
			"attention.output.LayerNorm.weight": {d}, "attention.output.LayerNorm.bias": {d},
			"intermediate.dense.weight": {n, d}, "intermediate.dense.bias": {n},
			"output.dense.weight": {d, n}, "output.dense.bias": {d},
			"output.LayerNorm.weight": {d}, "output.LayerNorm.bias": {d},
		} {
			want[l+name] = shape
		}
	}
	if head {
		for name, shape := range map[string][]int{
			"transform.dense.weight": {d, d}, "transform.dense.bias": {d},
			"transform.LayerNorm.weight": {d}, "transform.LayerNorm.bias": {d}, "bias": {c.Vocab},
		} {
			want[headPrefix+name] = shape
		}
	}
	return decoder.Spec{
		Family: ModelType, Want: want,
		Ignore: func(name string) bool {
			name = strings.TrimPrefix(name, prefix)
			return name == "embeddings.position_ids" || strings.HasPrefix(name, "pooler.") ||
				strings.HasPrefix(name, "cls.seq_relationship.") || strings.HasPrefix(name, headPrefix+"decoder.")
		},
		Describe: fmt.Sprintf("num_hidden_layers %d, MLM head %v", c.Layers, head),
	}
}

// tfNames shows a checkpoint's TensorFlow-era layer-norm names (LayerNorm.gamma, LayerNorm.beta,
// as in bert-base-uncased) under torch's (weight, bias), as transformers renames them at load.
type tfNames struct {
	decoder.Source
	stored map[string]string // torch name -> stored name, for renamed tensors only
}

func newTFNames(src decoder.Source) decoder.Source {
	t := &tfNames{Source: src, stored: map[string]string{}}
	for _, name := range src.Names() {
		for old, torch := range map[string]string{"LayerNorm.gamma": "LayerNorm.weight", "LayerNorm.beta": "LayerNorm.bias"} {
			if strings.HasSuffix(name, old) {
				t.stored[strings.TrimSuffix(name, old)+torch] = name
			}
		}
	}
	if len(t.stored) == 0 {
		return src
	}
	return t
}

func (t *tfNames) Names() []string {
	names := t.Source.Names()
	renamed := make(map[string]string, len(t.stored))
	for torch, stored := range t.stored {
		renamed[stored] = torch
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = n
		if torch, ok := renamed[n]; ok {
			out[i] = torch
		}
	}
	return out
}

func (t *tfNames) storedName(name string) string {
	if s, ok := t.stored[name]; ok {
		return s
	}
	return name
}

func (t *tfNames) Shape(name string) ([]int, error) { return t.Source.Shape(t.storedName(name)) }
func (t *tfNames) ReadFloat32(name string, dst []float32) error {
	return t.Source.ReadFloat32(t.storedName(name), dst)
}
func (t *tfNames) Where(name string) string { return t.Source.Where(t.storedName(name)) }
