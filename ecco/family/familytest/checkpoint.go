package familytest

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ecco-go/ecco/ecco/safetensors"
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
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(c.Config), 0o644); err != nil {
		t.Fatal(err)
	}
	dtype := c.DType
	if dtype == "" {
		dtype = safetensors.F32
	}
	rng := rand.New(rand.NewPCG(c.Seed, 7))
	names := slices.Sorted(maps.Keys(c.Tensors))
	values := map[string][]float32{}
	var all []safetensors.Tensor
	for _, name := range names {
		size := 1
		for _, d := range c.Tensors[name] {
			size *= d
		}
		data := make([]float32, size)
		for i := range data {
			data[i] = float32(rng.NormFloat64() * c.Std)
			if isNorm(name) {
				data[i]++
			}
			data[i] = round(data[i], dtype)
		}
		values[name] = data
		all = append(all, safetensors.Tensor{Name: name, Shape: c.Tensors[name], Data: data})
	}
	if c.Shards <= 1 {
		if err := safetensors.Write(filepath.Join(dir, safetensors.SingleFile), all, dtype, nil); err != nil {
			t.Fatal(err)
		}
		return values
	}
	index := map[string]any{"metadata": map[string]any{}}
	weightMap := map[string]string{}
	for s := range c.Shards {
		file := fmt.Sprintf("model-%05d-of-%05d.safetensors", s+1, c.Shards)
		var part []safetensors.Tensor
		for i := s; i < len(all); i += c.Shards {
			part = append(part, all[i])
			weightMap[all[i].Name] = file
		}
		if err := safetensors.Write(filepath.Join(dir, file), part, dtype, nil); err != nil {
			t.Fatal(err)
		}
	}
	index["weight_map"] = weightMap
	data, err := json.Marshal(index)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, safetensors.IndexFile), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return values
}

func isNorm(name string) bool {
	for _, s := range []string{"norm.weight", "ln_1.weight", "ln_2.weight", "ln_f.weight"} {
		if len(name) >= len(s) && name[len(name)-len(s):] == s {
			return true
		}
	}
	return false
}

// round gives x the precision of dtype, so that F32 and half checkpoints hold the same values.
func round(x float32, dtype safetensors.DType) float32 {
	switch dtype {
	case safetensors.F16:
		return safetensors.HalfToFloat32(safetensors.Float32ToHalf(x))
	case safetensors.BF16:
		return safetensors.BFloat16ToFloat32(safetensors.Float32ToBFloat16(x))
	}
	return x
}
