package safetensors

import (
	"github.com/ecco-go/ecco/ecco/atomicfile"

	"bytes"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// randomTensors makes tensors of assorted shapes, a scalar and an empty one
// included, with values spanning several orders of magnitude.
func randomTensors(seed uint64) []Tensor {
	rng := rand.New(rand.NewPCG(seed, 0))
	values := func(n int) []float32 {
		v := make([]float32, n)
		for i := range v {
			v[i] = float32(rng.NormFloat64() * math.Pow(10, float64(rng.IntN(5)-2)))
		}
		return v
	}
	return []Tensor{
		{Name: "w", Shape: []int{7, 3}, Data: values(21)},
		{Name: "b", Shape: []int{3}, Data: values(3)},
		{Name: "scalar", Shape: nil, Data: values(1)},
		{Name: "empty", Shape: []int{0, 4}, Data: nil},
		{Name: "big", Shape: []int{5, 4000}, Data: values(20000)}, // spans several write chunks
	}
}

func TestWriteRoundTrip(t *testing.T) {
	tensors := randomTensors(1)
	// Relative precision of each format: half a unit in the last place.
	for dtype, relTol := range map[DType]float64{F32: 0, F16: 0x1p-11, BF16: 0x1p-8} {
		t.Run(string(dtype), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "m.safetensors")
			meta := map[string]string{"format": "pt", "note": "a <b> & c"}
			if err := Write(path, tensors, dtype, meta); err != nil {
				t.Fatal(err)
			}
			f, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if got := f.Names(); !reflect.DeepEqual(got, []string{"b", "big", "empty", "scalar", "w"}) {
				t.Errorf("Names() = %v", got)
			}
			if !reflect.DeepEqual(f.Metadata(), meta) {
				t.Errorf("Metadata() = %v, want %v", f.Metadata(), meta)
			}
			if f.Header().DataStart%8 != 0 {
				t.Errorf("data area starts at %d, want 8-byte alignment", f.Header().DataStart)
			}
			for _, want := range tensors {
				got, shape, err := f.Float32(want.Name)
				if err != nil {
					t.Fatal(err)
				}
				if info, _ := f.Info(want.Name); info.DType != dtype {
					t.Errorf("%s stored as %s, want %s", want.Name, info.DType, dtype)
				}
				if !slices.Equal(shape, want.Shape) || len(got) != len(want.Data) {
					t.Fatalf("%s: shape %v with %d values, want %v with %d", want.Name, shape, len(got), want.Shape, len(want.Data))
				}
				compareRounded(t, want.Name, got, want.Data, dtype, relTol)
			}
		})
	}
}

// compareRounded checks every read-back value against the written one:
// within relTol relative error (F16 subnormals: within 2^-25 absolute), and
// bit-identical to rounding that value independently through the converters.
func compareRounded(t *testing.T, name string, got, want []float32, dtype DType, relTol float64) {
	t.Helper()
	var maxRel float64
	for i := range want {
		rounded := want[i]
		switch dtype {
		case F16:
			rounded = HalfToFloat32(Float32ToHalf(want[i]))
		case BF16:
			rounded = BFloat16ToFloat32(Float32ToBFloat16(want[i]))
		}
		diff := math.Abs(float64(got[i]) - float64(want[i]))
		rel := diff / math.Abs(float64(want[i]))
		if dtype == F16 && math.Abs(float64(want[i])) < 0x1p-14 {
			rel = diff / 0x1p-14 // subnormal: absolute steps of 2^-24
		}
		maxRel = max(maxRel, rel)
		if got[i] != rounded || rel > relTol {
			t.Fatalf("%s[%d] = %v, wrote %v (rounded %v); first values %v vs %v; relative error %g > %g",
				name, i, got[i], want[i], rounded, got[:min(4, len(got))], want[:min(4, len(want))], rel, relTol)
		}
	}
	t.Logf("%s as %s: max relative error %.3g", name, dtype, maxRel)
}

// TestWriteDeterministic checks that input order does not matter and that
// the same tensors always give the same bytes.
func TestWriteDeterministic(t *testing.T) {
	dir := t.TempDir()
	tensors := randomTensors(2)
	reversed := slices.Clone(tensors)
	slices.Reverse(reversed)
	a, b := filepath.Join(dir, "a.safetensors"), filepath.Join(dir, "b.safetensors")
	meta := map[string]string{"z": "1", "a": "2", "m": "3"}
	if err := Write(a, tensors, BF16, meta); err != nil {
		t.Fatal(err)
	}
	if err := Write(b, reversed, BF16, meta); err != nil {
		t.Fatal(err)
	}
	ab, _ := os.ReadFile(a)
	bb, _ := os.ReadFile(b)
	if !bytes.Equal(ab, bb) {
		t.Error("the same tensors in another order gave different files")
	}
	// The header as the reference writer lays it out: metadata, then names in
	// order, fields dtype, shape, data_offsets.
	wantHeader := `{"__metadata__":{"a":"2","m":"3","z":"1"},"b":{"dtype":"BF16","shape":[3],"data_offsets":[0,6]},`
	if !bytes.HasPrefix(ab[8:], []byte(wantHeader)) {
		t.Errorf("header starts %q, want %q", ab[8:8+len(wantHeader)], wantHeader)
	}
	if got := dirEntries(t, dir); !slices.Equal(got, []string{"a.safetensors", "b.safetensors"}) {
		t.Errorf("directory holds %v, want only the two files", got)
	}
}

// TestWriteRejects checks invalid input: an error naming the problem, and
// neither the final file nor a temporary one left behind.
func TestWriteRejects(t *testing.T) {
	ok := Tensor{Name: "ok", Shape: []int{2}, Data: []float32{1, 2}}
	cases := []struct {
		name    string
		tensors []Tensor
		dtype   DType
		want    string
	}{
		{"integer dtype", []Tensor{ok}, I32, `dtype "I32", expected F32, F16 or BF16`},
		{"unknown dtype", []Tensor{ok}, "float32", `dtype "float32"`},
		{"duplicate name", []Tensor{ok, ok}, F32, `tensor "ok" given twice`},
		{"empty name", []Tensor{{Shape: []int{1}, Data: []float32{1}}}, F32, "empty name"},
		{"reserved name", []Tensor{{Name: "__metadata__", Shape: []int{1}, Data: []float32{1}}}, F32, "reserved"},
		{"shape mismatch", []Tensor{{Name: "x", Shape: []int{2, 3}, Data: make([]float32, 5)}}, F32, `tensor "x": shape [2 3] needs 6 values, Data holds 5`},
		{"negative dim", []Tensor{{Name: "x", Shape: []int{-2, -3}, Data: make([]float32, 6)}}, F32, "negative dimension"},
		{"overflowing shape", []Tensor{{Name: "x", Shape: []int{1 << 40, 1 << 40}}}, F32, "63 bits"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out.safetensors")
			err := Write(path, c.tensors, c.dtype, nil)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("error %v, want one naming %s and %q", err, path, c.want)
			}
			if left := dirEntries(t, dir); len(left) != 0 {
				t.Errorf("failed write left %v", left)
			}
		})
	}
}

// TestWriteAtomic makes the write fail after the temporary file exists: the
// previous file under the final name must survive untouched and no temporary
// file may remain.
func TestWriteAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.safetensors")
	if err := os.WriteFile(path, []byte("previous"), 0o644); err != nil {
		t.Fatal(err)
	}
	failure := errors.New("disk on fire")
	err := atomicfile.Write(path, func(w io.Writer) error {
		if _, err := w.Write(make([]byte, 3<<20)); err != nil { // past the buffer: reaches the disk
			return err
		}
		return failure
	})
	if !errors.Is(err, failure) {
		t.Fatalf("atomicfile.Write returned %v, want the body's error", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "previous" {
		t.Errorf("final file now holds %d bytes, want the previous content", len(got))
	}
	if left := dirEntries(t, dir); !slices.Equal(left, []string{"model.safetensors"}) {
		t.Errorf("directory holds %v, want only the previous file", left)
	}

	// A rename that fails (the final name is a non-empty directory) must also
	// clean up.
	blocked := filepath.Join(dir, "blocked")
	if err := os.MkdirAll(filepath.Join(blocked, "inside"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Write(blocked, randomTensors(3), F32, nil); err == nil || !strings.Contains(err.Error(), blocked) {
		t.Errorf("Write over a directory: %v, want an error naming it", err)
	}
	if left := dirEntries(t, dir); !slices.Equal(left, []string{"blocked", "model.safetensors"}) {
		t.Errorf("directory holds %v after a failed rename", left)
	}
	// Writing into a missing directory fails before anything is created.
	if err := Write(filepath.Join(dir, "no", "such", "m.safetensors"), nil, F32, nil); err == nil {
		t.Error("Write into a missing directory succeeded")
	}
}

// TestWriteReplacesAndIsReadable checks that a successful write replaces an
// existing file and leaves it world-readable like an ordinary file.
func TestWriteReplacesAndIsReadable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.safetensors")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, []Tensor{{Name: "x", Shape: []int{1}, Data: []float32{2}}}, F32, nil); err != nil {
		t.Fatal(err)
	}
	stat, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if stat.Mode().Perm() != 0o644 {
		t.Errorf("permissions %v, want 0644", stat.Mode().Perm())
	}
	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _, err := f.Float32("x"); err != nil || v[0] != 2 {
		t.Errorf("Float32(x) = %v, %v", v, err)
	}
}
