package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/ecco/gpt2"
	"github.com/ecco-go/ecco/ecco/safetensors"
	"github.com/ecco-go/ecco/internal/checkpoint"
)

// smallShape keeps test models at 1.6M parameters (the vocabulary dominates).
var smallShape = []string{"-layers", "2", "-width", "32", "-heads", "2", "-positions", "64", "-vocab-from", tinyDir}

// writeModel runs `ecco testmodel` into dir with the small shape and extra flags.
func writeModel(t *testing.T, dir string, extra ...string) string {
	t.Helper()
	args := append(append([]string{"testmodel", "-out", dir}, smallShape...), extra...)
	if out := mustRun(t, args...); !strings.HasPrefix(out, "wrote "+dir+":") {
		t.Errorf("stdout %q: want a one-line summary", out)
	}
	return dir
}

func openWeights(t *testing.T, dir string) *safetensors.File {
	t.Helper()
	f, err := safetensors.Open(filepath.Join(dir, "model.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestTestModelFormatsLoad is the loading test for hub-style names, F16 and BF16: every variant
// of the same seed must load and give the F32 model's logits, exactly for a renaming and within
// the storage format's precision otherwise.
func TestTestModelFormatsLoad(t *testing.T) {
	base := t.TempDir()
	prompt := loadGolden(t, 1).Prompt
	ref, _ := forward(t, writeModel(t, filepath.Join(base, "f32"), "-seed", "11"), prompt)
	var largest float64
	for _, x := range ref.LogitsLast {
		largest = max(largest, math.Abs(float64(x)))
	}
	variants := []struct {
		name     string
		flags    []string
		dtype    safetensors.DType
		noPrefix bool
		epsilon  float64 // unit roundoff of the storage format; 0: must be exact
	}{
		{"f32-no-prefix", []string{"-no-prefix"}, safetensors.F32, true, 0},
		{"f16", []string{"-dtype", "F16"}, safetensors.F16, false, 0x1p-11},
		{"bf16", []string{"-dtype", "bf16"}, safetensors.BF16, false, 0x1p-8},
		{"f16-no-prefix", []string{"-dtype", "F16", "-no-prefix"}, safetensors.F16, true, 0x1p-11},
		{"bf16-no-prefix", []string{"-dtype", "BF16", "-no-prefix"}, safetensors.BF16, true, 0x1p-8},
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			dir := writeModel(t, filepath.Join(base, v.name), append(v.flags, "-seed", "11")...)
			checkWeightsFile(t, openWeights(t, dir), v.dtype, v.noPrefix)
			got, _ := forward(t, dir, prompt)
			if !slices.Equal(got.TokenIDs, ref.TokenIDs) {
				t.Fatalf("token ids %v, want %v", got.TokenIDs, ref.TokenIDs)
			}
			// Rounding every weight by a relative ε moves the logits by about ε of their size
			// (BENCHMARKS.md has the measured factors); 4ε leaves room and still catches a
			// wrong conversion, which moves them by their own size.
			checkClose(t, "logits vs the F32 model", float32s(got.LogitsLast), float32s(ref.LogitsLast), 4*v.epsilon*largest)
			if v.epsilon > 0 && slices.Equal(got.LogitsLast, ref.LogitsLast) {
				t.Errorf("logits are identical to the F32 model's: the weights were not rounded to %s", v.dtype)
			}
		})
	}
}

// checkWeightsFile checks the stored dtype and the naming of a written checkpoint.
func checkWeightsFile(t *testing.T, f *safetensors.File, dtype safetensors.DType, noPrefix bool) {
	t.Helper()
	names := f.Names()
	for _, name := range names {
		info, _ := f.Info(name)
		if info.DType != dtype {
			t.Fatalf("%s is %s, want %s", name, info.DType, dtype)
		}
		if strings.HasPrefix(name, "transformer.") == noPrefix {
			t.Fatalf("tensor %q: with -no-prefix=%v the \"transformer.\" prefix should be %v", name, noPrefix, !noPrefix)
		}
	}
	hasBuffers := slices.Contains(names, "h.1.attn.bias") && slices.Contains(names, "h.1.attn.masked_bias")
	if hasBuffers != noPrefix {
		t.Errorf("attention buffers present: %v, want %v (hub-style only)", hasBuffers, noPrefix)
	}
	if noPrefix {
		mask, shape, err := f.Float32("h.0.attn.bias")
		if err != nil || !slices.Equal(shape, []int{1, 1, 64, 64}) {
			t.Fatalf("h.0.attn.bias: shape %v, %v", shape, err)
		}
		for r := range 64 {
			for c := range 64 {
				if want := float32(boolTo01(c <= r)); mask[r*64+c] != want {
					t.Fatalf("attn.bias[%d][%d] = %g, want %g (causal mask)", r, c, mask[r*64+c], want)
				}
			}
		}
	}
}

func boolTo01(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestTestModelInitialisation checks GPT-2's initialisation on the written values, and that the
// F16 file holds exactly the F32 values rounded.
func TestTestModelInitialisation(t *testing.T) {
	base := t.TempDir()
	f32 := openWeights(t, writeModel(t, filepath.Join(base, "f32"), "-seed", "3"))
	f16 := openWeights(t, writeModel(t, filepath.Join(base, "f16"), "-seed", "3", "-dtype", "F16"))
	read := func(f *safetensors.File, name string) []float32 {
		data, _, err := f.Float32(name)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	for name, std := range map[string]float64{
		"transformer.wte.weight":             0.02,
		"transformer.wpe.weight":             0.02,
		"transformer.h.0.attn.c_attn.weight": 0.02,
		"transformer.h.1.mlp.c_fc.weight":    0.02,
		"transformer.h.0.attn.c_proj.weight": 0.02 / math.Sqrt(2*2),
		"transformer.h.1.mlp.c_proj.weight":  0.02 / math.Sqrt(2*2),
	} {
		data := read(f32, name)
		var sum, sq float64
		for _, x := range data {
			sum += float64(x)
			sq += float64(x) * float64(x)
		}
		mean := sum / float64(len(data))
		got := math.Sqrt(sq/float64(len(data)) - mean*mean)
		// A sample of n normals has a standard deviation within a few std/sqrt(2n) of std.
		if tol := 5 * std / math.Sqrt(2*float64(len(data))); math.Abs(got-std) > tol || math.Abs(mean) > 5*std/math.Sqrt(float64(len(data))) {
			t.Errorf("%s: mean %.3g, std %.5g, want 0 and %.5g (±%.2g)", name, mean, got, std, tol)
		}
		for i, x := range read(f16, name) {
			if want := safetensors.HalfToFloat32(safetensors.Float32ToHalf(data[i])); x != want {
				t.Fatalf("%s[%d]: F16 file holds %g, want %g (the F32 value %g rounded)", name, i, x, want, data[i])
			}
		}
	}
	for name, want := range map[string]float32{
		"transformer.ln_f.weight": 1, "transformer.h.1.ln_2.weight": 1,
		"transformer.ln_f.bias": 0, "transformer.h.0.attn.c_attn.bias": 0, "transformer.h.1.mlp.c_proj.bias": 0,
	} {
		for i, x := range read(f32, name) {
			if x != want {
				t.Fatalf("%s[%d] = %g, want %g", name, i, x, want)
			}
		}
	}
}

func TestTestModelConfigAndSeed(t *testing.T) {
	base := t.TempDir()
	a := writeModel(t, filepath.Join(base, "a"), "-seed", "9", "-inner", "48")
	b := writeModel(t, filepath.Join(base, "b"), "-seed", "9", "-inner", "48")
	c := writeModel(t, filepath.Join(base, "c"), "-seed", "10", "-inner", "48")
	data, err := os.ReadFile(filepath.Join(a, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := gpt2.ParseConfig(data)
	if err != nil {
		t.Fatal(err)
	}
	want := gpt2.Config{ModelType: "gpt2", NLayer: 2, NEmbd: 32, NHead: 2, NPositions: 64, NInner: 48,
		Activation: "gelu_new", LayerNormEpsilon: 1e-5, VocabSize: 50257, EOSTokenID: 50256}
	if *cfg != want {
		t.Errorf("config.json reads as %+v, want %+v", *cfg, want)
	}
	for _, name := range []string{"tokenizer.json", "vocab.json", "merges.txt", "tokenizer_config.json"} {
		got, err1 := os.ReadFile(filepath.Join(a, name))
		orig, err2 := os.ReadFile(filepath.Join(tinyDir, name))
		if err1 != nil || err2 != nil || !bytes.Equal(got, orig) {
			t.Errorf("%s was not copied from -vocab-from (%v, %v)", name, err1, err2)
		}
	}
	weights := func(dir string) []byte {
		data, err := os.ReadFile(filepath.Join(dir, "model.safetensors"))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	if !bytes.Equal(weights(a), weights(b)) {
		t.Errorf("the same seed wrote different weights")
	}
	if bytes.Equal(weights(a), weights(c)) {
		t.Errorf("different seeds wrote the same weights")
	}
	// The model generates, and nothing but the model folders is left in base.
	mustRun(t, "generate", "-model", a, "-prompt", "Hello", "-n", "3")
	entries, _ := os.ReadDir(base)
	for _, e := range entries {
		if !slices.Contains([]string{"a", "b", "c"}, e.Name()) {
			t.Errorf("left behind in the parent folder: %s", e.Name())
		}
	}
}

func TestTestModelDefaultsAreDistilGPT2(t *testing.T) {
	var f testModelFlags
	fs := newFlags("testmodel")
	f.declare(fs)
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	s := f.spec.Shape
	s.Vocab, s.Inner = 50257, 4*s.Width
	want := checkpoint.GPT2Shape{Layers: 6, Width: 768, Heads: 12, Inner: 3072, Positions: 1024, Vocab: 50257}
	if s != want || f.spec.DType != "" || f.spec.Family != "gpt2" {
		t.Fatalf("defaults %+v %q %q, want %+v, gpt2 and no -dtype (F32)", s, f.spec.Family, f.spec.DType, want)
	}
	if got := s.Parameters(); got != 81_912_576 { // distilgpt2's parameter count
		t.Errorf("%d parameters, want DistilGPT2's 81912576", got)
	}
}

func TestTestModelOverwrite(t *testing.T) {
	dir := t.TempDir()
	keep := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(keep, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"testmodel", "-out", dir}, smallShape...)
	if _, stderr, status := cli(args...); status == 0 || !strings.Contains(stderr, "not empty") {
		t.Fatalf("writing into a non-empty folder: status %d, stderr %q", status, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "config.json")); err == nil {
		t.Fatalf("a refused run wrote config.json")
	}
	mustRun(t, append(args, "-force")...)
	mustRun(t, "forward", "-model", dir, "-prompt", "Hello")
	if data, err := os.ReadFile(keep); err != nil || string(data) != "mine" {
		t.Errorf("-force touched an unrelated file: %q, %v", data, err)
	}
}
