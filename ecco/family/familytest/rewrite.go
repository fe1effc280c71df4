package familytest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ecco-go/ecco/ecco/safetensors"
)

// Rewrite copies the checkpoint in src to a temporary folder with each tensor renamed by rename
// ("" drops it), extra tensors added, and the listed side files (config.json, tokenizer files)
// copied as they are: the same weights saved another way (a BertModel without its head, old
// TensorFlow names...).
func Rewrite(t testing.TB, src string, rename func(name string) string, extra []safetensors.Tensor, files ...string) string {
	t.Helper()
	set, err := safetensors.OpenDir(src)
	if err != nil {
		t.Fatal(err)
	}
	defer set.Close()
	out := extra
	for _, name := range set.Names() {
		renamed := rename(name)
		if renamed == "" {
			continue
		}
		data, shape, err := set.Float32(name)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, safetensors.Tensor{Name: renamed, Shape: shape, Data: data})
	}
	dir := t.TempDir()
	if err := safetensors.Write(filepath.Join(dir, safetensors.SingleFile), out, safetensors.F32, nil); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
