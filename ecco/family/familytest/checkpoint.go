package familytest

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/ecco/safetensors"
	"github.com/ecco-go/ecco/internal/checkpoint"
)

// Checkpoint is a synthetic model folder for tests: config.json and random weights.
type Checkpoint struct {
	Config  string           // config.json
	Tensors map[string][]int // name -> shape
	DType   safetensors.DType
	Shards  int     // 0 or 1: model.safetensors; more: that many shards and an index
	Std     float64 // weights ~ N(0, Std²); norm weights (names ending "norm.weight", "ln_*") 1 + N(0, Std²)
	Seed    uint64
}

// Write creates the folder dir and returns the values written (after rounding to DType).
func (c Checkpoint) Write(t testing.TB, dir string) map[string][]float32 {
	t.Helper()
	folder := checkpoint.Folder{Files: map[string][]byte{"config.json": []byte(c.Config)}, DType: c.DType, Seed: c.Seed, Shards: c.Shards}
	for _, name := range slices.Sorted(maps.Keys(c.Tensors)) {
		init := checkpoint.Init{Std: c.Std, Stream: name}
		if isNorm(name) {
			init.Mean = 1
		}
		folder.Tensors = append(folder.Tensors, checkpoint.Tensor{Name: name, Shape: c.Tensors[name], Init: init})
	}
	written, err := folder.Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	values := map[string][]float32{}
	for _, w := range written {
		values[w.Name] = w.Data
	}
	return values
}

func isNorm(name string) bool {
	for _, s := range []string{"norm.weight", "ln_1.weight", "ln_2.weight", "ln_f.weight"} {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}
