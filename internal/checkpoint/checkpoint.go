// Package checkpoint writes model folders with random weights in HuggingFace layout: the one
// writer behind `ecco testmodel` and the tests' synthetic checkpoints (familytest). Values come
// from a stream per tensor name, so a model holds the same numbers whatever its dtype, naming,
// tensor order or sharding.
package checkpoint

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ecco-go/ecco/ecco/safetensors"
)

// Tensor is one tensor to write. Data, when set, is written as it is; otherwise Init fills it.
type Tensor struct {
	Name  string
	Shape []int
	Init  Init
	Data  []float32
}

// Init fills a tensor with Mean + N(0, Std²), drawn from a stream that depends only on the seed
// and Stream (the tensor's name without any prefix); Std 0 gives the constant Mean.
type Init struct {
	Mean, Std float64
	Stream    string
}

// Folder is a model folder: side files (config.json, tokenizer files) and the weights.
type Folder struct {
	Files    map[string][]byte // file name -> contents
	Tensors  []Tensor
	DType    safetensors.DType // "" is F32
	Seed     uint64
	Shards   int               // 0 or 1: model.safetensors; more: that many shards and their index
	Metadata map[string]string // the safetensors header's __metadata__
}

// Size is the number of values a shape holds.
func Size(shape []int) int64 {
	n := int64(1)
	for _, d := range shape {
		n *= int64(d)
	}
	return n
}

// Values fills every tensor and rounds it to the folder's dtype, so the values returned are
// exactly those a reader of the files gets back.
func (f *Folder) Values() []safetensors.Tensor {
	out := make([]safetensors.Tensor, len(f.Tensors))
	for i, t := range f.Tensors {
		data := t.Data
		if data == nil {
			data = make([]float32, Size(t.Shape))
			t.Init.fill(data, f.Seed)
		}
		roundAll(data, f.dtype())
		out[i] = safetensors.Tensor{Name: t.Name, Shape: t.Shape, Data: data}
	}
	return out
}

func (f *Folder) dtype() safetensors.DType {
	if f.DType == "" {
		return safetensors.F32
	}
	return f.DType
}

func (in Init) fill(data []float32, seed uint64) {
	if in.Std == 0 {
		for i := range data {
			data[i] = float32(in.Mean)
		}
		return
	}
	h := fnv.New64a()
	h.Write([]byte(in.Stream))
	rng := rand.New(rand.NewPCG(seed, h.Sum64()))
	for i := range data {
		data[i] = float32(in.Mean + rng.NormFloat64()*in.Std)
	}
}

// roundAll gives data the precision of dtype.
func roundAll(data []float32, dtype safetensors.DType) {
	switch dtype {
	case safetensors.F16:
		for i, x := range data {
			data[i] = safetensors.HalfToFloat32(safetensors.Float32ToHalf(x))
		}
	case safetensors.BF16:
		for i, x := range data {
			data[i] = safetensors.BFloat16ToFloat32(safetensors.Float32ToBFloat16(x))
		}
	}
}

// Write creates the folder dir with the side files and the weights, and returns the tensors
// written. Every file is built in a temporary folder beside dir and moved in only when all are
// complete, so a failure leaves nothing behind; files of other names already in dir stay.
func (f *Folder) Write(dir string) ([]safetensors.Tensor, error) {
	dir = filepath.Clean(dir)
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, fmt.Errorf("creating the folder of %s: %w", dir, err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("creating a folder beside %s: %w", dir, err)
	}
	// After a success tmp is empty or gone; after a failure this removes what was written.
	defer os.RemoveAll(tmp)
	// MkdirTemp makes the folder owner-only; a model folder is normally readable by all.
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, err
	}
	for _, name := range slices.Sorted(maps.Keys(f.Files)) {
		if err := os.WriteFile(filepath.Join(tmp, name), f.Files[name], 0o644); err != nil {
			return nil, err
		}
	}
	values := f.Values()
	if err := f.writeWeights(tmp, values); err != nil {
		return nil, err
	}
	return values, moveInto(tmp, dir)
}

// writeWeights writes model.safetensors, or with Shards > 1 the shards (tensors dealt round
// robin in name order) and model.safetensors.index.json.
func (f *Folder) writeWeights(dir string, values []safetensors.Tensor) error {
	if f.Shards <= 1 {
		return safetensors.Write(filepath.Join(dir, safetensors.SingleFile), values, f.dtype(), f.Metadata)
	}
	sorted := slices.SortedFunc(slices.Values(values), func(a, b safetensors.Tensor) int { return strings.Compare(a.Name, b.Name) })
	weightMap := map[string]string{}
	for s := range f.Shards {
		file := fmt.Sprintf("model-%05d-of-%05d.safetensors", s+1, f.Shards)
		var part []safetensors.Tensor
		for i := s; i < len(sorted); i += f.Shards {
			part = append(part, sorted[i])
			weightMap[sorted[i].Name] = file
		}
		if err := safetensors.Write(filepath.Join(dir, file), part, f.dtype(), f.Metadata); err != nil {
			return err
		}
	}
	index, err := json.Marshal(map[string]any{"metadata": map[string]any{}, "weight_map": weightMap})
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, safetensors.IndexFile), index, 0o644)
}

// moveInto makes tmp's files the contents of out: a rename of the whole folder when out does not
// exist or is empty, otherwise one rename per file.
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
