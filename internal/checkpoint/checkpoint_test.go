package checkpoint

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ecco-go/ecco/ecco/safetensors"
)

func smallFolder(dtype safetensors.DType, shards int) Folder {
	return Folder{
		Files:  map[string][]byte{"config.json": []byte(`{"model_type": "test"}`)},
		DType:  dtype,
		Seed:   5,
		Shards: shards,
		Tensors: []Tensor{
			{Name: "b.weight", Shape: []int{3, 4}, Init: Init{Std: 0.5, Stream: "b.weight"}},
			{Name: "a.norm.weight", Shape: []int{4}, Init: Init{Mean: 1}},
			{Name: "c.mask", Shape: []int{2}, Data: []float32{1, 0}},
			{Name: "d.weight", Shape: []int{5}, Init: Init{Mean: 1, Std: 0.1, Stream: "d.weight"}},
		},
	}
}

// TestWriteReadsBack: what Write returns is what a reader gets back, for every dtype and with
// shards; the values of a name do not depend on the dtype beyond its rounding, nor on sharding.
func TestWriteReadsBack(t *testing.T) {
	var f32 map[string][]float32
	for _, c := range []struct {
		dtype  safetensors.DType
		shards int
	}{{safetensors.F32, 0}, {safetensors.F32, 3}, {safetensors.F16, 0}, {safetensors.BF16, 2}} {
		dir := filepath.Join(t.TempDir(), "m")
		folder := smallFolder(c.dtype, c.shards)
		written, err := folder.Write(dir)
		if err != nil {
			t.Fatal(err)
		}
		set, err := safetensors.OpenDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string][]float32{}
		for _, w := range written {
			data, shape, err := set.Float32(w.Name)
			if err != nil || !slices.Equal(shape, w.Shape) || !slices.Equal(data, w.Data) {
				t.Errorf("%s %d shards: %s reads back as %v %v (%v), want %v %v", c.dtype, c.shards, w.Name, data, shape, err, w.Data, w.Shape)
			}
			got[w.Name] = data
		}
		set.Close()
		if config, err := os.ReadFile(filepath.Join(dir, "config.json")); err != nil || string(config) != `{"model_type": "test"}` {
			t.Errorf("config.json: %q, %v", config, err)
		}
		if c.dtype == safetensors.F32 && f32 == nil {
			f32 = got
			continue
		}
		for name, want := range f32 {
			for i, x := range got[name] {
				if math.Abs(float64(x-want[i])) > 1e-2*math.Abs(float64(want[i])) { // BF16 keeps 8 bits
					t.Fatalf("%s %d shards: %s[%d] = %g, the F32 model holds %g", c.dtype, c.shards, name, i, x, want[i])
				}
			}
		}
	}
	if n := f32["a.norm.weight"]; !slices.Equal(n, []float32{1, 1, 1, 1}) {
		t.Errorf("constant init: %v", n)
	}
}

// TestWriteKeepsOtherFiles: writing into a folder with other files replaces only the model's,
// and leaves no temporary folder behind.
func TestWriteKeepsOtherFiles(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "m")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	folder := smallFolder("", 0)
	if _, err := folder.Write(dir); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(filepath.Join(dir, "notes.txt")); err != nil || string(data) != "mine" {
		t.Errorf("notes.txt: %q, %v", data, err)
	}
	if entries, _ := os.ReadDir(base); len(entries) != 1 {
		t.Errorf("left beside the model: %v", entries)
	}
}

// TestGPT2Parameters: DistilGPT2's shape has DistilGPT2's parameter count, and the tensors
// listed hold exactly that many values.
func TestGPT2Parameters(t *testing.T) {
	s := GPT2Shape{Layers: 6, Width: 768, Heads: 12, Inner: 3072, Positions: 1024, Vocab: 50257}
	if got := s.Parameters(); got != 81_912_576 {
		t.Errorf("%d parameters, want 81912576", got)
	}
	var n int64
	for _, tensor := range GPT2Tensors(s, "transformer.", false) {
		n += Size(tensor.Shape)
	}
	if n != s.Parameters() {
		t.Errorf("the tensors hold %d values, Parameters says %d", n, s.Parameters())
	}
}

// BenchmarkGPT2Weights measures initialising and writing the weights of a 4-layer, 256-wide
// model (16.1M parameters): the work of `ecco testmodel` besides copying the tokenizer.
func BenchmarkGPT2Weights(b *testing.B) {
	s := GPT2Shape{Layers: 4, Width: 256, Heads: 4, Inner: 1024, Positions: 1024, Vocab: 50257}
	b.SetBytes(4 * s.Parameters())
	for b.Loop() {
		folder := Folder{Tensors: GPT2Tensors(s, "transformer.", false), Seed: 1}
		if _, err := folder.Write(filepath.Join(b.TempDir(), "m")); err != nil {
			b.Fatal(err)
		}
	}
}
