package safetensors

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io/fs"
	"math"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
)

func TestOpenTinyA(t *testing.T) {
	f, err := Open(tinyA)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	names := f.Names()
	if len(names) != 28 || !sort.StringsAreSorted(names) {
		t.Errorf("Names() has %d names (sorted: %v), want 28 sorted", len(names), sort.StringsAreSorted(names))
	}
	if !reflect.DeepEqual(f.Metadata(), map[string]string{"format": "pt"}) {
		t.Errorf("Metadata() = %v, want format=pt", f.Metadata())
	}
	shapes := map[string][]int{
		"transformer.wte.weight":             {50257, 64},
		"transformer.wpe.weight":             {128, 64},
		"transformer.h.0.attn.c_attn.weight": {64, 192},
		"transformer.h.1.mlp.c_fc.weight":    {64, 256},
		"transformer.h.1.mlp.c_proj.weight":  {256, 64},
		"transformer.ln_f.bias":              {64},
	}
	for name, want := range shapes {
		info, ok := f.Info(name)
		if !ok || info.DType != F32 || !reflect.DeepEqual(info.Shape, want) {
			t.Errorf("Info(%q) = %+v, %v; want F32 %v", name, info, ok, want)
		}
	}
	// Offsets from an independent reading of the header with Python's json.
	if info, _ := f.Info("transformer.wte.weight"); info.Begin != 433152 || info.End != 13298944 {
		t.Errorf("wte offsets [%d, %d], want [433152, 13298944]", info.Begin, info.End)
	}
	if _, ok := f.Info("lm_head.weight"); ok {
		t.Error("Info(lm_head.weight) found a tensor tiny-a does not have")
	}
}

// TestFloat32TinyA compares values and sums with an independent reading of
// the file (Python struct.unpack('<f') and math.fsum over the raw bytes).
func TestFloat32TinyA(t *testing.T) {
	f, err := Open(tinyA)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases := []struct {
		name    string
		index   map[int]float32
		sum     float64
		sumSq   float64
		numbers int
	}{
		{"transformer.wte.weight", map[int]float32{0: -0.0335155725479126, 1: -0.14897704124450684, 3: -0.26450634002685547,
			198*64 + 5: -0.23750905692577362, 50256*64 + 63: -0.12287424504756927}, 537.0983463533794, 289816.3023906234, 50257 * 64},
		{"transformer.h.0.attn.c_attn.weight", map[int]float32{0: -0.26074495911598206, 191: -0.19781851768493652,
			63*192 + 191: -0.20414398610591888}, 69.14078219375733, 1101.6470671029763, 64 * 192},
		{"transformer.ln_f.weight", map[int]float32{0: 1.099237322807312, 63: 0.9535770416259766}, 63.44863659143448, 63.47082778040482, 64},
		{"transformer.h.1.mlp.c_proj.bias", map[int]float32{0: -0.047963354736566544, 10: 0.03550192341208458}, -0.3244409810286015, 0.14792201758754603, 64},
	}
	for _, c := range cases {
		values, shape, err := f.Float32(c.name)
		if err != nil {
			t.Fatal(err)
		}
		if len(values) != c.numbers {
			t.Fatalf("%s: %d values (shape %v), want %d", c.name, len(values), shape, c.numbers)
		}
		for i, want := range c.index {
			if values[i] != want {
				t.Errorf("%s[%d] = %v, want %v", c.name, i, values[i], want)
			}
		}
		var sum, sumSq float64
		for _, v := range values {
			sum += float64(v)
			sumSq += float64(v) * float64(v)
		}
		if math.Abs(sum-c.sum) > 1e-9*c.sumSq || math.Abs(sumSq-c.sumSq) > 1e-9*c.sumSq {
			t.Errorf("%s: sum %v, sum of squares %v; want %v, %v", c.name, sum, sumSq, c.sum, c.sumSq)
		}
	}
}

// TestFloat32Dtypes reads hand-built F16, BF16 and F64 tensors, bytes
// written directly (not by this package's writer).
func TestFloat32Dtypes(t *testing.T) {
	var data []byte
	for _, h := range []uint16{0x3c00, 0xc000, 0x7bff, 0x0001} { // F16: 1, -2, 65504, 2^-24
		data = binary.LittleEndian.AppendUint16(data, h)
	}
	for _, h := range []uint16{0x3f80, 0x4049} { // BF16: 1, 3.140625
		data = binary.LittleEndian.AppendUint16(data, h)
	}
	data = binary.LittleEndian.AppendUint64(data, math.Float64bits(0.1))
	data = binary.LittleEndian.AppendUint64(data, 7) // I64
	header := `{"h":{"dtype":"F16","shape":[2,2],"data_offsets":[0,8]},` +
		`"b":{"dtype":"BF16","shape":[2],"data_offsets":[8,12]},` +
		`"d":{"dtype":"F64","shape":[],"data_offsets":[12,20]},` +
		`"i":{"dtype":"I64","shape":[1],"data_offsets":[20,28]}}`
	path := writeTemp(t, "dtypes.safetensors", frame(header, data))
	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string][]float32{"h": {1, -2, 65504, 0x1p-24}, "b": {1, 3.140625}, "d": {float32(0.1)}}
	for name, w := range want {
		got, _, err := f.Float32(name)
		if err != nil || !reflect.DeepEqual(got, w) {
			t.Errorf("Float32(%q) = %v, %v; want %v", name, got, err, w)
		}
	}
	if _, shape, _ := f.Float32("h"); !reflect.DeepEqual(shape, []int{2, 2}) {
		t.Errorf("shape of h = %v, want [2 2]", shape)
	}
	_, _, err = f.Float32("i")
	if !errors.Is(err, ErrNotFloat) || !strings.Contains(err.Error(), `"i"`) || !strings.Contains(err.Error(), "I64") || !strings.Contains(err.Error(), path) {
		t.Errorf("Float32 of an I64 tensor: error %v, want ErrNotFloat naming the path, tensor and dtype", err)
	}
	raw, info, err := f.Bytes("i")
	if err != nil || binary.LittleEndian.Uint64(raw) != 7 || info.DType != I64 {
		t.Errorf("Bytes(i) = %v, %+v, %v; want 7 as I64", raw, info, err)
	}
}

func TestFileMisuse(t *testing.T) {
	f, err := Open(tinyA)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.Float32("lm_head.weight"); !errors.Is(err, ErrNoTensor) || !strings.Contains(err.Error(), "lm_head.weight") {
		t.Errorf("Float32 of a missing tensor: %v, want ErrNoTensor naming it", err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, _, err := f.Float32("transformer.ln_f.bias"); err == nil || !strings.Contains(err.Error(), "after Close") {
		t.Errorf("Float32 after Close: %v, want an error", err)
	}
}

// TestOpenRejects checks that Open reports bad files with their path.
func TestOpenRejects(t *testing.T) {
	original, err := os.ReadFile(tinyA)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		content []byte
		wants   []string
	}{
		{"empty", nil, []string{"file is 0 bytes"}},
		{"cut in the header", original[:1000], []string{"header length field is 2624 bytes", "992 bytes after it"}},
		{"cut in the data", original[:len(original)-100], []string{`tensor "transformer.wte.weight"`, "reach past the data area"}},
		{"extra bytes", append(bytes.Clone(original), 0, 0, 0, 0), []string{"cover only the first 13298944"}},
		{"text file", []byte("this is not a safetensors file\n"), []string{"over the 100000000-byte cap"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := writeTemp(t, "bad.safetensors", c.content)
			f, err := Open(path)
			if err == nil {
				f.Close()
				t.Fatal("Open accepted a bad file")
			}
			fe := wantFormatError(t, err, append(c.wants, path)...)
			if fe.Path != path {
				t.Errorf("FormatError.Path = %q, want %q", fe.Path, path)
			}
		})
	}
	if _, err := Open(t.TempDir() + "/missing.safetensors"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open of a missing file: %v, want fs.ErrNotExist", err)
	}
	if _, err := Open(t.TempDir()); err == nil {
		t.Error("Open of a directory succeeded")
	}
}

// TestReadWhole checks the reading fallback used where mmap is unavailable.
func TestReadWhole(t *testing.T) {
	data, release, err := readWhole(strings.NewReader("abcdef"), 6)
	if err != nil || string(data) != "abcdef" || release() != nil {
		t.Errorf("readWhole = %q, %v", data, err)
	}
	if _, _, err := readWhole(strings.NewReader("abc"), 6); err == nil {
		t.Error("readWhole of a file shorter than its size succeeded")
	}
}
