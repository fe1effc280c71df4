// Package testmodel writes the random-weight models of `ecco testmodel`: a GPT-2 of any shape
// or the random twin of a LLaMA-family, GPT-NeoX (Pythia), T5 or BART hub model, with the
// tokenizer of another model folder.
// (The writer itself is internal/checkpoint, shared with the tests; this package adds what
// needs the families' loaders, which the tests of those families cannot import.)
package testmodel

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ecco-go/ecco/ecco/bart"
	"github.com/ecco-go/ecco/ecco/gemma"
	"github.com/ecco-go/ecco/ecco/llama"
	"github.com/ecco-go/ecco/ecco/neox"
	"github.com/ecco-go/ecco/ecco/safetensors"
	"github.com/ecco-go/ecco/ecco/t5"
	"github.com/ecco-go/ecco/ecco/tokenizer"
	"github.com/ecco-go/ecco/internal/checkpoint"
)

// Bounds on the shape: far above any GPT-2, low enough that a typo cannot ask for terabytes.
// MaxParameters is 8 GiB of float32.
const (
	MaxDim        = 1 << 16
	MaxParameters = 1 << 31
)

// Spec is one model to write.
type Spec struct {
	VocabFrom string               // model folder whose tokenizer files are copied
	Family    string               // "gpt2" (shaped by Shape) or a preset of checkpoint.Families
	KVHeads   int                  // a preset's num_key_value_heads; 0: the hub model's
	VocabSize int                  // a preset's vocab_size; 0: the hub model's, or the tokenizer's when larger
	Shape     checkpoint.GPT2Shape // gpt2 only; Inner 0 is 4 × Width; Vocab comes from the tokenizer
	Seed      uint64
	DType     string // F32, F16 or BF16; "": F32, or the preset's published type
	NoPrefix  bool   // gpt2: hub-style names without "transformer.", with the attention buffers
}

// Check validates s before anything is read, naming the flag-like field at fault, and fills
// DType's default.
func (s *Spec) Check() error {
	if s.Family != "gpt2" && checkpoint.FamilyConfig(s.Family, checkpoint.FamilyOptions{}) == nil {
		return fmt.Errorf("-family %q: want one of gpt2, %s", s.Family, strings.Join(checkpoint.Families(), ", "))
	}
	if s.KVHeads < 0 || s.KVHeads > 0 && (s.Family == "gpt2" || withoutKVGroups(s.Family)) {
		return fmt.Errorf("-kv-heads %d: want a positive number, with a LLaMA-family -family (GPT-NeoX, T5 and BART have no key/value head groups)", s.KVHeads)
	}
	if s.VocabSize < 0 || s.VocabSize > MaxDim*MaxDim || s.VocabSize > 0 && s.Family == "gpt2" {
		return fmt.Errorf("-vocab-size %d: want a positive number, with a LLaMA-family -family (gpt2 takes the tokenizer's)", s.VocabSize)
	}
	sh := &s.Shape
	for _, f := range []struct {
		name  string
		value int
		zero  bool // 0 allowed
	}{{"layers", sh.Layers, false}, {"width", sh.Width, false}, {"heads", sh.Heads, false}, {"inner", sh.Inner, true}, {"positions", sh.Positions, false}} {
		if f.value < 0 || (f.value == 0 && !f.zero) || f.value > MaxDim {
			return fmt.Errorf("-%s %d: want a positive number up to %d", f.name, f.value, MaxDim)
		}
	}
	if sh.Width%sh.Heads != 0 {
		return fmt.Errorf("-width %d is not a multiple of -heads %d", sh.Width, sh.Heads)
	}
	s.DType = strings.ToUpper(cmp.Or(s.DType, checkpoint.FamilyDTypes[s.Family], "F32"))
	if checkpoint.TorchDtypes[s.DType] == "" {
		return fmt.Errorf("-dtype %q: want F32, F16 or BF16", s.DType)
	}
	return nil
}

// Write writes the model folder out (nothing is left behind on failure; files of other names
// in out stay) and returns the shape written, in words.
func Write(s Spec, out string) (string, error) {
	tok, err := tokenizer.LoadDir(s.VocabFrom)
	if err != nil {
		return "", fmt.Errorf("-vocab-from: %w", err)
	}
	folder := checkpoint.Folder{Files: map[string][]byte{}, DType: safetensors.DType(s.DType), Seed: s.Seed,
		Metadata: map[string]string{"format": "pt", "generator": fmt.Sprintf("ecco testmodel -seed %d", s.Seed)}}
	if err := checkpoint.TokenizerFiles(s.VocabFrom, folder.Files); err != nil {
		return "", fmt.Errorf("-vocab-from: %w", err)
	}
	describe := describeGPT2
	if s.Family != "gpt2" {
		describe = describeFamily
	}
	summary, err := describe(&s, &folder, tok)
	if err != nil {
		return "", err
	}
	if _, err := folder.Write(out); err != nil {
		return "", err
	}
	info, err := os.Stat(filepath.Join(out, safetensors.SingleFile))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s, %s, model.safetensors %.1f MB", summary, s.DType, float64(info.Size())/1e6), nil
}

// describeGPT2 fills folder with a GPT-2 of s.Shape.
func describeGPT2(s *Spec, folder *checkpoint.Folder, tok *tokenizer.Tokenizer) (string, error) {
	sh := &s.Shape
	sh.Vocab = tok.VocabSize()
	if sh.Inner == 0 {
		sh.Inner = 4 * sh.Width
	}
	if p := sh.Parameters(); p > MaxParameters {
		return "", fmt.Errorf("that shape has %d parameters, more than the %d this command writes", p, int64(MaxParameters))
	}
	config, gen, err := checkpoint.GPT2Configs(*sh, s.DType, tok.EndOfText())
	if err != nil {
		return "", err
	}
	folder.Files["config.json"], folder.Files["generation_config.json"] = config, gen
	prefix := "transformer."
	if s.NoPrefix {
		prefix = ""
	}
	folder.Tensors = checkpoint.GPT2Tensors(*sh, prefix, s.NoPrefix)
	return fmt.Sprintf("%d layers, width %d, %d heads, %d FFN neurons, %d positions, vocab %d; %.1fM parameters",
		sh.Layers, sh.Width, sh.Heads, sh.Inner, sh.Positions, sh.Vocab, float64(sh.Parameters())/1e6), nil
}

// describeFamily fills folder with a preset, its tensors shaped as the family's loader expects
// them.
func describeFamily(s *Spec, folder *checkpoint.Folder, tok *tokenizer.Tokenizer) (string, error) {
	if s.VocabSize > 0 && s.VocabSize < tok.VocabSize() {
		return "", fmt.Errorf("-vocab-size %d is smaller than the tokenizer's %d tokens", s.VocabSize, tok.VocabSize())
	}
	config := checkpoint.FamilyConfig(s.Family, checkpoint.FamilyOptions{Vocab: tok.VocabSize(), VocabSize: s.VocabSize,
		EOS: tok.EndOfText(), DType: s.DType, KVHeads: s.KVHeads})
	want, err := Shapes(config)
	if err != nil {
		return "", fmt.Errorf("-family %s: %w", s.Family, err)
	}
	var count int64
	for _, shape := range want {
		count += checkpoint.Size(shape)
	}
	if count > MaxParameters {
		return "", fmt.Errorf("-family %s has %d parameters, more than the %d this command writes", s.Family, count, int64(MaxParameters))
	}
	files, err := checkpoint.FamilyFiles(config)
	if err != nil {
		return "", err
	}
	for name, data := range files {
		folder.Files[name] = data
	}
	folder.Tensors = checkpoint.FamilyTensors(want, strings.HasPrefix(config["model_type"].(string), "gemma"))
	heads := fmt.Sprintf("%d heads", cmp.Or(config["num_attention_heads"], config["num_heads"], config["encoder_attention_heads"]))
	if kv, ok := config["num_key_value_heads"]; ok {
		heads = fmt.Sprintf("%d key/value heads", kv)
	}
	return fmt.Sprintf("a random %s (%s, vocab %d; %.1fM parameters)", s.Family, heads, config["vocab_size"], float64(count)/1e6), nil
}

// withoutKVGroups reports whether preset is a GPT-NeoX, T5 or BART shape.
func withoutKVGroups(preset string) bool {
	config := checkpoint.FamilyConfig(preset, checkpoint.FamilyOptions{})
	return config != nil && slices.Contains([]any{"gpt_neox", "t5", "bart"}, config["model_type"])
}

// Shapes are the tensors (name -> shape) the family's loader wants for a config.json, by
// model_type: GPT-NeoX's, Gemma's, T5's, BART's or the LLaMA family's.
func Shapes(config map[string]any) (map[string][]int, error) {
	data, err := json.Marshal(config)
	if err != nil {
		return nil, err
	}
	switch config["model_type"] {
	case "t5":
		cfg, err := t5.ParseConfig(data)
		if err != nil {
			return nil, err
		}
		return cfg.Spec().Want, nil
	case "bart":
		cfg, err := bart.ParseConfig(data)
		if err != nil {
			return nil, err
		}
		return cfg.Spec().Want, nil
	}
	if config["model_type"] == "gpt_neox" {
		cfg, err := neox.ParseConfig(data)
		if err != nil {
			return nil, err
		}
		return cfg.Spec().Want, nil
	}
	if t, _ := config["model_type"].(string); strings.HasPrefix(t, "gemma") {
		cfg, err := gemma.ParseConfig(data)
		if err != nil {
			return nil, err
		}
		return cfg.Spec().Want, nil
	}
	cfg, err := llama.ParseConfig(data)
	if err != nil {
		return nil, err
	}
	return cfg.Spec().Want, nil
}
