package decoder

import (
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/ecco/safetensors"
	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
)

// TestWeightsMappedFromTheCheckpoint: an F32 weight of offHeapBytes or more maps its checkpoint's
// bytes (no copy): a graph reads its values, the file shows in the process's mappings while the
// weight lives and not after it is collected, and the file never changes. A misaligned offset or
// a file shorter than the span is refused, for the caller to read instead.
func TestWeightsMappedFromTheCheckpoint(t *testing.T) {
	backend := linuxBackend(t)
	const rows, cols = 512, 1024 // 2 MiB
	values := make([]float32, rows*cols)
	for i := range values {
		values[i] = float32(i%7) - 3
	}
	path := filepath.Join(t.TempDir(), "model.safetensors")
	stored := []safetensors.Tensor{{Name: "small", Shape: []int{3}, Data: []float32{1, 2, 3}}, {Name: "w", Shape: []int{rows, cols}, Data: values}}
	if err := safetensors.Write(path, stored, safetensors.F32, nil); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	set, err := safetensors.OpenDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	file, offset, ok := set.Float32Span("w")
	set.Close()
	if !ok {
		t.Fatal("Float32Span of an F32 tensor: not ok")
	}
	mapped := settledMapping()
	w, ok := mappedWeight(backend, []int{rows, cols}, file, offset)
	if !ok {
		t.Fatal("mappedWeight: not mapped")
	}
	if got := mappedBytes.Load() - mapped; got < 4*rows*cols {
		t.Errorf("mapped %d bytes more, want at least %d", got, 4*rows*cols)
	}
	if !inMaps(t, path) {
		t.Errorf("%s is not among the process's mappings", path)
	}
	sum := MustExecOnce(backend, func(x *Node) *Node { return ReduceAllSum(MulScalar(x, 1)) }, w)
	var want float64
	for _, v := range values {
		want += float64(v)
	}
	if got := tensors.ToScalar[float32](sum); math.Abs(float64(got)-want) > 1e-3*float64(len(values)) {
		t.Errorf("sum through a graph = %g, want %g", got, want)
	}
	w = nil
	if left := settledMapping() - mapped; left != 0 {
		t.Errorf("after the weight was collected %d bytes are still mapped", left)
	}
	if inMaps(t, path) {
		t.Errorf("%s is still mapped after the weight was collected", path)
	}
	if after, err := os.ReadFile(path); err != nil || string(after) != string(before) {
		t.Errorf("the checkpoint changed (%v)", err)
	}
	if _, ok := mappedWeight(backend, []int{rows, cols}, file, offset+2); ok {
		t.Error("an offset that is not a multiple of 4 was mapped")
	}
	if _, ok := mappedWeight(backend, []int{rows, cols + 1}, file, offset); ok {
		t.Error("a span past the end of the file was mapped")
	}
}

// linuxBackend is a Go backend for a test that reads the mappings in /proc/self/maps (it skips
// elsewhere).
func linuxBackend(t *testing.T) compute.Backend {
	if runtime.GOOS != "linux" {
		t.Skip("the mapping is checked in /proc/self/maps, Linux's")
	}
	backend, err := gobackend.New("ops_sequential")
	if err != nil {
		t.Fatal(err)
	}
	return backend
}

// inMaps reports whether path is mapped into this process.
func inMaps(t *testing.T, path string) bool {
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Contains(string(maps), path)
}

// TestUploadMapsWeights: Upload maps the large F32 weights of a checkpoint and reads the
// others (under offHeapBytes, or converted from BF16), with the same values either way.
func TestUploadMapsWeights(t *testing.T) {
	backend := linuxBackend(t)
	big := make([]float32, 512*1024)
	for i := range big {
		big[i] = float32(i%9) / 8
	}
	stored := []safetensors.Tensor{{Name: "norm", Shape: []int{4}, Data: []float32{1, 2, 3, 4}}, {Name: "w", Shape: []int{512, 1024}, Data: big}}
	spec := Spec{Family: "test", Want: map[string][]int{"norm": {4}, "w": {512, 1024}}}
	for _, dtype := range []safetensors.DType{safetensors.F32, safetensors.BF16} {
		dir := t.TempDir()
		path := filepath.Join(dir, "model.safetensors")
		if err := safetensors.Write(path, stored, dtype, nil); err != nil {
			t.Fatal(err)
		}
		set, err := safetensors.OpenDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		plan, err := Read(set, spec, dir)
		if err != nil {
			t.Fatal(err)
		}
		keys, weights, err := plan.Upload(backend, "test")
		set.Close()
		if err != nil {
			t.Fatal(err)
		}
		if got, want := inMaps(t, path), dtype == safetensors.F32; got != want {
			t.Errorf("%s: checkpoint mapped %v, want %v", dtype, got, want)
		}
		for i, key := range keys {
			got := tensors.MustCopyFlatData[float32](weights[i])
			want := stored[i].Data
			if stored[i].Name != key {
				t.Fatalf("weight %d is %q, want %q", i, key, stored[i].Name)
			}
			for j := range want {
				if got[j] != want[j] { // every value here is exact in BF16
					t.Fatalf("%s: %s[%d] = %g, want %g", dtype, key, j, got[j], want[j])
				}
			}
		}
		runtime.KeepAlive(weights)
	}
}
