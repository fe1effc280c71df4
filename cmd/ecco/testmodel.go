package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ecco-go/ecco/internal/checkpoint"
	"github.com/ecco-go/ecco/internal/testmodel"
)

var testModelSynopsis = "ecco testmodel -out DIR -vocab-from DIR [-family gpt2|" + strings.Join(checkpoint.Families(), "|") + "] [-kv-heads N] [-vocab-size N] [-layers 6 -width 768 -heads 12 -inner 0 -positions 1024 -seed 0 -dtype F32|F16|BF16 -no-prefix -force]"

// testModelFlags are the command line of `ecco testmodel`; the defaults are DistilGPT2's shape.
type testModelFlags struct {
	out   string
	force bool
	spec  testmodel.Spec
}

func (t *testModelFlags) declare(fs *flag.FlagSet) {
	s := &t.spec
	fs.StringVar(&t.out, "out", "", "the model `folder` to write (must not exist or be empty, unless -force)")
	fs.StringVar(&s.VocabFrom, "vocab-from", "", "copy the tokenizer files from this model `folder`; its vocabulary sets vocab_size")
	fs.StringVar(&s.Family, "family", "gpt2", "`architecture`: gpt2 (shaped by -layers, -width, ...) or the random twin of "+strings.Join(checkpoint.Families(), ", ")+" (vocab_size: the hub model's, or the tokenizer's when larger)")
	fs.IntVar(&s.KVHeads, "kv-heads", 0, "with a -family preset: key/value `heads` (num_key_value_heads) instead of the hub model's; must divide its attention heads")
	fs.IntVar(&s.VocabSize, "vocab-size", 0, "with a -family preset: vocab_size (embedding `rows`) instead of the hub model's, e.g. 50257 for GPT-2's; at least the tokenizer's")
	fs.IntVar(&s.Shape.Layers, "layers", 6, "transformer blocks (n_layer)")
	fs.IntVar(&s.Shape.Width, "width", 768, "residual width (n_embd)")
	fs.IntVar(&s.Shape.Heads, "heads", 12, "attention heads (n_head); must divide -width")
	fs.IntVar(&s.Shape.Inner, "inner", 0, "FFN neurons per layer (n_inner); 0: 4 × width, written as null")
	fs.IntVar(&s.Shape.Positions, "positions", 1024, "longest sequence (n_positions)")
	fs.Uint64Var(&s.Seed, "seed", 0, "random seed: the same seed gives the same weights in every dtype")
	fs.StringVar(&s.DType, "dtype", "", "storage `type`: F32, F16 or BF16 (default F32; BF16 for qwen2.5-0.5b, as published)")
	fs.BoolVar(&s.NoPrefix, "no-prefix", false, "hub-style names without \"transformer.\", plus attn.bias/attn.masked_bias buffers, like the `gpt2` checkpoint")
	fs.BoolVar(&t.force, "force", false, "write into a non-empty -out folder, replacing the files of the same names")
}

func (t *testModelFlags) validate() error {
	if t.out == "" {
		return usageErrorf("-out is required: the folder to write the model to")
	}
	if t.spec.VocabFrom == "" {
		return usageErrorf("-vocab-from is required: a model folder holding tokenizer.json, or vocab.json and merges.txt (e.g. a downloaded distilgpt2)")
	}
	if err := t.spec.Check(); err != nil {
		return usageErrorf("%v", err)
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
	summary, err := testmodel.Write(t.spec, t.out)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "wrote %s: %s\n", t.out, summary)
	return err
}
