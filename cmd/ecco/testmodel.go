package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ecco-go/ecco/ecco/safetensors"
	"github.com/ecco-go/ecco/ecco/tokenizer"
)

const testModelSynopsis = "ecco testmodel -out DIR -vocab-from DIR [-family gpt2|smollm-135m|qwen2.5-0.5b|tinyllama-1.1b] [-layers 6 -width 768 -heads 12 -inner 0 -positions 1024 -seed 0 -dtype F32|F16|BF16 -no-prefix -force]"

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
	shape          shape
	seed           uint64
	dtype          string
	noPrefix       bool
	force          bool
}

func (t *testModelFlags) declare(fsFlags *flag.FlagSet) {
	fsFlags.StringVar(&t.out, "out", "", "the model `folder` to write (must not exist or be empty, unless -force)")
	fsFlags.StringVar(&t.vocabFrom, "vocab-from", "", "copy the tokenizer files from this model `folder`; its vocabulary sets vocab_size")
	fsFlags.StringVar(&t.family, "family", "gpt2", "`architecture`: gpt2 (shaped by -layers, -width, ...) or the random twin of smollm-135m, qwen2.5-0.5b or tinyllama-1.1b")
	fsFlags.IntVar(&t.shape.layers, "layers", 6, "transformer blocks (n_layer)")
	fsFlags.IntVar(&t.shape.width, "width", 768, "residual width (n_embd)")
	fsFlags.IntVar(&t.shape.heads, "heads", 12, "attention heads (n_head); must divide -width")
	fsFlags.IntVar(&t.shape.inner, "inner", 0, "FFN neurons per layer (n_inner); 0: 4 × width, written as null")
	fsFlags.IntVar(&t.shape.positions, "positions", 1024, "longest sequence (n_positions)")
	fsFlags.Uint64Var(&t.seed, "seed", 0, "random seed: the same seed gives the same weights in every dtype")
	fsFlags.StringVar(&t.dtype, "dtype", "F32", "storage `type`: F32, F16 or BF16")
	fsFlags.BoolVar(&t.noPrefix, "no-prefix", false, "hub-style names without \"transformer.\", plus attn.bias/attn.masked_bias buffers, like the `gpt2` checkpoint")
	fsFlags.BoolVar(&t.force, "force", false, "write into a non-empty -out folder, replacing the files of the same names")
}

func (t *testModelFlags) validate() error {
	if t.out == "" {
		return usageErrorf("-out is required: the folder to write the model to")
	}
	if t.vocabFrom == "" {
		return usageErrorf("-vocab-from is required: a model folder holding tokenizer.json, or vocab.json and merges.txt (e.g. a downloaded distilgpt2)")
	}
	if err := checkFamily(t.family); err != nil {
		return err
	}
	s := &t.shape
	for _, f := range []struct {
		name  string
		value int
		zero  bool // 0 allowed
	}{{"layers", s.layers, false}, {"width", s.width, false}, {"heads", s.heads, false}, {"inner", s.inner, true}, {"positions", s.positions, false}} {
		if f.value < 0 || (f.value == 0 && !f.zero) || f.value > maxDim {
			return usageErrorf("-%s %d: want a positive number up to %d", f.name, f.value, maxDim)
		}
	}
	if s.width%s.heads != 0 {
		return usageErrorf("-width %d is not a multiple of -heads %d", s.width, s.heads)
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
	t.shape.vocab = tok.VocabSize()
	if t.shape.inner == 0 {
		t.shape.inner = 4 * t.shape.width
	}
	if p := t.shape.parameters(); p > maxParameters {
		return usageErrorf("that shape has %d parameters, more than the %d this command writes", p, int64(maxParameters))
	}
	size, err := writeTestModel(&t, tok)
	if err != nil {
		return err
	}
	if t.family != "gpt2" {
		_, err = fmt.Fprintf(stdout, "wrote %s: a random %s, %s, model.safetensors %.1f MB\n", t.out, t.family, t.dtype, float64(size)/1e6)
		return err
	}
	s := t.shape
	_, err = fmt.Fprintf(stdout, "wrote %s: %d layers, width %d, %d heads, %d FFN neurons, %d positions, vocab %d; %.1fM parameters, %s, model.safetensors %.1f MB\n",
		t.out, s.layers, s.width, s.heads, s.inner, s.positions, s.vocab, float64(s.parameters())/1e6, t.dtype, float64(size)/1e6)
	return err
}

// writeTestModel builds every file in a temporary folder beside -out and moves them into place
// only when all are complete, so a failure leaves nothing behind. It returns the weights' size.
func writeTestModel(t *testModelFlags, tok *tokenizer.Tokenizer) (int64, error) {
	out := filepath.Clean(t.out)
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return 0, fmt.Errorf("creating the folder of %s: %w", out, err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(out), "."+filepath.Base(out)+".tmp-*")
	if err != nil {
		return 0, fmt.Errorf("creating a folder beside %s: %w", out, err)
	}
	// After a success tmp is empty or gone; after a failure this removes what was written.
	defer os.RemoveAll(tmp)
	// MkdirTemp makes the folder owner-only; a model folder is normally readable by all.
	if err := os.Chmod(tmp, 0o755); err != nil {
		return 0, err
	}
	if err := copyTokenizerFiles(t.vocabFrom, tmp); err != nil {
		return 0, err
	}
	var tensors []safetensors.Tensor
	if t.family == "gpt2" {
		if err := writeConfigFiles(tmp, t, tok); err != nil {
			return 0, err
		}
		prefix := "transformer."
		if t.noPrefix {
			prefix = ""
		}
		tensors = makeTensors(gpt2Tensors(t.shape, t.seed, t.noPrefix), prefix)
	} else {
		config, ts, err := familyModel(t, tok)
		if err != nil {
			return 0, err
		}
		if err := writeFamilyConfig(tmp, config); err != nil {
			return 0, err
		}
		tensors = ts
	}
	weights := filepath.Join(tmp, "model.safetensors")
	meta := map[string]string{"format": "pt", "generator": fmt.Sprintf("ecco testmodel -seed %d", t.seed)}
	if err := safetensors.Write(weights, tensors, safetensors.DType(t.dtype), meta); err != nil {
		return 0, err
	}
	info, err := os.Stat(weights)
	if err != nil {
		return 0, err
	}
	return info.Size(), moveInto(tmp, out)
}

// moveInto makes tmp's files the contents of out: a rename of the whole folder when out does not
// exist or is empty, otherwise (with -force) one rename per file.
func moveInto(tmp, out string) error {
	if err := os.Remove(out); err != nil && !os.IsNotExist(err) {
		// out is not empty: replace file by file, leaving its other files alone.
		entries, err := os.ReadDir(tmp)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if err := os.Rename(filepath.Join(tmp, e.Name()), filepath.Join(out, e.Name())); err != nil {
				return fmt.Errorf("replacing %s in %s: %w", e.Name(), out, err)
			}
		}
		return nil
	}
	if err := os.Rename(tmp, out); err != nil {
		return fmt.Errorf("moving the model into %s: %w", out, err)
	}
	return nil
}
