package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestTestModelFamilyFlag(t *testing.T) {
	_, stderr, status := cli("testmodel", "-out", t.TempDir()+"/m", "-vocab-from", tinyDir, "-family", "gemma-7b")
	if status == 0 || !strings.Contains(stderr, `-family "gemma-7b": want one of gpt2, bart-base, gemma3-1b, llama-3.2-1b, pythia-160m, pythia-1b, qwen2.5-0.5b, qwen3-0.6b, smollm-135m, t5-small, tinyllama-1.1b`) {
		t.Errorf("status %d, stderr %q", status, stderr)
	}
	_, stderr, status = cli("testmodel", "-out", t.TempDir()+"/m", "-vocab-from", tinyDir, "-kv-heads", "3")
	if status == 0 || !strings.Contains(stderr, "-kv-heads 3") {
		t.Errorf("-kv-heads without a family: status %d, stderr %q", status, stderr)
	}
	_, stderr, status = cli("testmodel", "-out", t.TempDir()+"/m", "-vocab-from", tinyDir, "-family", "smollm-135m", "-kv-heads", "4")
	if status == 0 || !strings.Contains(stderr, "num_key_value_heads 4") {
		t.Errorf("-kv-heads 4 of 9 heads: status %d, stderr %q", status, stderr)
	}
	_, stderr, status = cli("testmodel", "-out", t.TempDir()+"/m", "-vocab-from", tinyDir, "-family", "llama-3.2-1b", "-vocab-size", "1000")
	if status == 0 || !strings.Contains(stderr, "-vocab-size 1000 is smaller than the tokenizer's 50257 tokens") {
		t.Errorf("-vocab-size below the tokenizer's: status %d, stderr %q", status, stderr)
	}
}

// TestTestModelFamilyDTypes: the Qwen2.5 preset is stored in BF16 and Pythia's in F16 as
// published, unless -dtype says otherwise; the others in F32.
func TestTestModelFamilyDTypes(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-family", "qwen2.5-0.5b"}, "BF16"},
		{[]string{"-family", "qwen2.5-0.5b", "-dtype", "f32"}, "F32"},
		{[]string{"-family", "llama-3.2-1b"}, "F32"},
		{[]string{"-family", "pythia-160m"}, "F16"},
		{[]string{"-family", "gemma3-1b"}, "BF16"},
		{nil, "F32"},
	} {
		var f testModelFlags
		fs := newFlags("testmodel")
		f.declare(fs)
		if err := fs.Parse(append([]string{"-out", filepath.Join(t.TempDir(), "m"), "-vocab-from", tinyDir}, c.args...)); err != nil {
			t.Fatal(err)
		}
		if err := f.validate(); err != nil || f.spec.DType != c.want {
			t.Errorf("%v: dtype %q, %v; want %s", c.args, f.spec.DType, err, c.want)
		}
	}
}
