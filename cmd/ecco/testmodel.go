package main

import (
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ecco-go/ecco/ecco/llama"
	"github.com/ecco-go/ecco/ecco/safetensors"
	"github.com/ecco-go/ecco/ecco/tokenizer"
	"github.com/ecco-go/ecco/internal/checkpoint"
)

const testModelSynopsis = "ecco testmodel -out DIR -vocab-from DIR [-family gpt2|llama-3.2-1b|qwen2.5-0.5b|smollm-135m|tinyllama-1.1b] [-kv-heads N] [-layers 6 -width 768 -heads 12 -inner 0 -positions 1024 -seed 0 -dtype F32|F16|BF16 -no-prefix -force]"

// Bounds on the shape flags: far above any GPT-2, low enough that a typo cannot ask for
// terabytes. maxParameters is 8 GiB of float32.
const (
	maxDim        = 1 << 16
	maxParameters = 1 << 31
)

// testModelFlags are the command line of `ecco testmodel`; the defaults are DistilGPT2's shape.
type testModelFlags struct {
	out, vocabFrom string
	family         string // "gpt2" (shaped by the flags) or a LLaMA-family preset
	kvHeads        int    // a preset's num_key_value_heads; 0: the hub model's
	shape          checkpoint.GPT2Shape
	seed           uint64
	dtype          string
	noPrefix       bool
	force          bool
}

func (t *testModelFlags) declare(fs *flag.FlagSet) {
	fs.StringVar(&t.out, "out", "", "the model `folder` to write (must not exist or be empty, unless -force)")
	fs.StringVar(&t.vocabFrom, "vocab-from", "", "copy the tokenizer files from this model `folder`; its vocabulary sets vocab_size")
	fs.StringVar(&t.family, "family", "gpt2", "`architecture`: gpt2 (shaped by -layers, -width, ...) or the random twin of "+strings.Join(checkpoint.Families(), ", ")+" (vocab_size: the hub model's, or the tokenizer's when larger)")
	fs.IntVar(&t.kvHeads, "kv-heads", 0, "with a -family preset: key/value `heads` (num_key_value_heads) instead of the hub model's; must divide its attention heads")
	fs.IntVar(&t.shape.Layers, "layers", 6, "transformer blocks (n_layer)")
	fs.IntVar(&t.shape.Width, "width", 768, "residual width (n_embd)")
	fs.IntVar(&t.shape.Heads, "heads", 12, "attention heads (n_head); must divide -width")
	fs.IntVar(&t.shape.Inner, "inner", 0, "FFN neurons per layer (n_inner); 0: 4 × width, written as null")
	fs.IntVar(&t.shape.Positions, "positions", 1024, "longest sequence (n_positions)")
	fs.Uint64Var(&t.seed, "seed", 0, "random seed: the same seed gives the same weights in every dtype")
	fs.StringVar(&t.dtype, "dtype", "", "storage `type`: F32, F16 or BF16 (default F32; BF16 for qwen2.5-0.5b, as published)")
	fs.BoolVar(&t.noPrefix, "no-prefix", false, "hub-style names without \"transformer.\", plus attn.bias/attn.masked_bias buffers, like the `gpt2` checkpoint")
	fs.BoolVar(&t.force, "force", false, "write into a non-empty -out folder, replacing the files of the same names")
}

func (t *testModelFlags) validate() error {
	if t.out == "" {
		return usageErrorf("-out is required: the folder to write the model to")
	}
	if t.vocabFrom == "" {
		return usageErrorf("-vocab-from is required: a model folder holding tokenizer.json, or vocab.json and merges.txt (e.g. a downloaded distilgpt2)")
	}
	if t.family != "gpt2" && checkpoint.FamilyConfig(t.family, checkpoint.FamilyOptions{}) == nil {
		return usageErrorf("-family %q: want one of gpt2, %s", t.family, strings.Join(checkpoint.Families(), ", "))
	}
	if t.kvHeads < 0 || t.kvHeads > 0 && t.family == "gpt2" {
		return usageErrorf("-kv-heads %d: want a positive number, with a LLaMA-family -family", t.kvHeads)
	}
	s := &t.shape
	for _, f := range []struct {
		name  string
		value int
		zero  bool // 0 allowed
	}{{"layers", s.Layers, false}, {"width", s.Width, false}, {"heads", s.Heads, false}, {"inner", s.Inner, true}, {"positions", s.Positions, false}} {
		if f.value < 0 || (f.value == 0 && !f.zero) || f.value > maxDim {
			return usageErrorf("-%s %d: want a positive number up to %d", f.name, f.value, maxDim)
		}
	}
	if s.Width%s.Heads != 0 {
		return usageErrorf("-width %d is not a multiple of -heads %d", s.Width, s.Heads)
	}
	if t.dtype == "" {
		t.dtype = cmp.Or(checkpoint.FamilyDTypes[t.family], "F32")
	}
	switch strings.ToUpper(t.dtype) {
	case "F32", "F16", "BF16":
		t.dtype = strings.ToUpper(t.dtype)
	default:
		return usageErrorf("-dtype %q: want F32, F16 or BF16", t.dtype)
	}
	return checkOutDir(t.out, t.force)
}

// checkOutDir refuses to write over a folder with files in it, unless forced.
func checkOutDir(dir string, force bool) error {
	info, err := os.Stat(dir)
	if os.IsNotExist(err) {
		return nil // created, with its parents
	}
	if err != nil {
		return fmt.Errorf("-out %s: %w", dir, unwrapPathError(err))
	}
	if !info.IsDir() {
		return usageErrorf("-out %s is a file, not a folder", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("-out %s: %w", dir, unwrapPathError(err))
	}
	if len(entries) > 0 && !force {
		return usageErrorf("-out %s is not empty (it holds %s): pick a new folder, or add -force to replace the model files in it", dir, entries[0].Name())
	}
	return nil
}

func runTestModel(args []string, stdout, stderr io.Writer) error {
	var t testModelFlags
	fs := newFlags("testmodel")
	t.declare(fs)
	if err := parseFlags(fs, testModelSynopsis, args, stdout); err != nil {
		return err
	}
	if err := t.validate(); err != nil {
		return err
	}
	tok, err := tokenizer.LoadDir(t.vocabFrom)
	if err != nil {
		return fmt.Errorf("-vocab-from: %w", err)
	}
	folder := checkpoint.Folder{Files: map[string][]byte{}, DType: safetensors.DType(t.dtype), Seed: t.seed,
		Metadata: map[string]string{"format": "pt", "generator": fmt.Sprintf("ecco testmodel -seed %d", t.seed)}}
	if err := checkpoint.TokenizerFiles(t.vocabFrom, folder.Files); err != nil {
		return fmt.Errorf("-vocab-from: %w", err)
	}
	summary, err := t.describe(&folder, tok)
	if err != nil {
		return err
	}
	if _, err := folder.Write(t.out); err != nil {
		return err
	}
	info, err := os.Stat(filepath.Join(t.out, safetensors.SingleFile))
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "wrote %s: %s, %s, model.safetensors %.1f MB\n", t.out, summary, t.dtype, float64(info.Size())/1e6)
	return err
}

// describe fills folder's config files and tensors for the flags and returns the shape in words.
func (t *testModelFlags) describe(folder *checkpoint.Folder, tok *tokenizer.Tokenizer) (string, error) {
	if t.family != "gpt2" {
		return t.describeFamily(folder, tok)
	}
	s := &t.shape
	s.Vocab = tok.VocabSize()
	if s.Inner == 0 {
		s.Inner = 4 * s.Width
	}
	if p := s.Parameters(); p > maxParameters {
		return "", usageErrorf("that shape has %d parameters, more than the %d this command writes", p, int64(maxParameters))
	}
	config, gen, err := checkpoint.GPT2Configs(*s, t.dtype, tok.EndOfText())
	if err != nil {
		return "", err
	}
	folder.Files["config.json"], folder.Files["generation_config.json"] = config, gen
	prefix := "transformer."
	if t.noPrefix {
		prefix = ""
	}
	folder.Tensors = checkpoint.GPT2Tensors(*s, prefix, t.noPrefix)
	return fmt.Sprintf("%d layers, width %d, %d heads, %d FFN neurons, %d positions, vocab %d; %.1fM parameters",
		s.Layers, s.Width, s.Heads, s.Inner, s.Positions, s.Vocab, float64(s.Parameters())/1e6), nil
}

// describeFamily fills folder with a LLaMA-family preset, its shapes as the family's loader
// expects them.
func (t *testModelFlags) describeFamily(folder *checkpoint.Folder, tok *tokenizer.Tokenizer) (string, error) {
	config := checkpoint.FamilyConfig(t.family, checkpoint.FamilyOptions{Vocab: tok.VocabSize(), EOS: tok.EndOfText(), DType: t.dtype, KVHeads: t.kvHeads})
	want, err := familyShapes(config)
	if err != nil {
		return "", fmt.Errorf("-family %s: %w", t.family, err)
	}
	var count int64
	for _, shape := range want {
		count += checkpoint.Size(shape)
	}
	if count > maxParameters {
		return "", usageErrorf("-family %s has %d parameters, more than the %d this command writes", t.family, count, int64(maxParameters))
	}
	files, err := checkpoint.FamilyFiles(config)
	if err != nil {
		return "", err
	}
	for name, data := range files {
		folder.Files[name] = data
	}
	folder.Tensors = checkpoint.FamilyTensors(want)
	return fmt.Sprintf("a random %s (%d key/value heads, vocab %d; %.1fM parameters)", t.family, config["num_key_value_heads"], config["vocab_size"], float64(count)/1e6), nil
}

// familyShapes are the tensors (name -> shape) the LLaMA-family loader wants for config.
func familyShapes(config map[string]any) (map[string][]int, error) {
	data, err := json.Marshal(config)
	if err != nil {
		return nil, err
	}
	cfg, err := llama.ParseConfig(data)
	if err != nil {
		return nil, err
	}
	return cfg.Spec().Want, nil
}
