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

// Load reads config.json and the safetensors weights (one file or shards) from dir and puts
// them on backend; config.json's model_type picks the family.
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
// the encoder with or without the family's prefix ("bert."), and the MLM head when the
// checkpoint has it.
func LoadWeights(backend compute.Backend, cfg *Config, src decoder.Source, where string) (*Model, error) {
	src = newTFNames(src)
	names := src.Names()
	a := cfg.Arch
	prefix := ""
	if slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(n, a.Prefix) }) {
		prefix = a.Prefix
	}
	head := a.Head != nil && slices.Contains(names, a.Head.Dense+"weight")
	w, err := decoder.Read(src, cfg.Spec(prefix, head), where)
	if err != nil {
		return nil, err
	}
	// Keep the bare encoder's names whatever the checkpoint's prefix.
	bare := w.Renamed(func(name string) string { return strings.TrimPrefix(name, prefix) })
	return New(backend, cfg, head, bare)
}

// Spec lists the tensors of a checkpoint of c (nn.Linear weights [out, in]), the encoder's under
// prefix, plus the MLM head when head is set. Buffers, poolers, other heads and a stored copy of
// the tied decoder are accepted and ignored (Arch.Ignore).
func (c *Config) Spec(prefix string, head bool) decoder.Spec {
	a, d, e, n := c.Arch, c.Width, c.EmbedWidth, c.Inner
	want := map[string][]int{
		prefix + a.Word:                 {c.Vocab, e},
		prefix + a.Position:             {c.Positions, e},
		prefix + a.EmbedNorm + "weight": {e},
		prefix + a.EmbedNorm + "bias":   {e},
	}
	if a.TokenType != "" {
		want[prefix+a.TokenType] = []int{c.TypeVocab, e}
	}
	linear := func(key string, out, in int) {
		want[key+"weight"], want[key+"bias"] = []int{out, in}, []int{out}
	}
	if c.Project {
		linear(prefix+a.Projection, d, e)
	}
	for g := range c.Groups {
		l := prefix + fmt.Sprintf(a.Layer, g)
		for _, key := range []string{a.Query, a.Key, a.Value, a.AttnOut} {
			linear(l+key, d, d)
		}
		linear(l+a.FFNIn, n, d)
		linear(l+a.FFNOut, d, n)
		for _, norm := range []string{a.AttnNorm, a.FFNNorm} {
			want[l+norm+"weight"], want[l+norm+"bias"] = []int{d}, []int{d}
		}
	}
	if head {
		linear(a.Head.Dense, e, d)
		want[a.Head.Norm+"weight"], want[a.Head.Norm+"bias"] = []int{e}, []int{e}
		want[a.Head.Bias] = []int{c.Vocab}
	}
	return decoder.Spec{
		Family: a.ModelType, Want: want,
		Ignore: func(name string) bool {
			name = strings.TrimPrefix(name, prefix)
			return slices.ContainsFunc(a.Ignore, func(p string) bool { return strings.HasPrefix(name, p) })
		},
		Describe: fmt.Sprintf("%s %d, MLM head %v", a.Keys.Layers, c.Layers, head),
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
