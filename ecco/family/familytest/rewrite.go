package familytest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ecco-go/ecco/ecco/safetensors"
	"github.com/ecco-go/ecco/internal/checkpoint"
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
	folder := checkpoint.Folder{Files: map[string][]byte{}}
	for _, e := range extra {
		folder.Tensors = append(folder.Tensors, checkpoint.Tensor{Name: e.Name, Shape: e.Shape, Data: e.Data})
	}
	for _, name := range set.Names() {
		renamed := rename(name)
		if renamed == "" {
			continue
		}
		data, shape, err := set.Float32(name)
		if err != nil {
			t.Fatal(err)
		}
		folder.Tensors = append(folder.Tensors, checkpoint.Tensor{Name: renamed, Shape: shape, Data: data})
	}
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		folder.Files[f] = data
	}
	dir := t.TempDir()
	if _, err := folder.Write(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}
