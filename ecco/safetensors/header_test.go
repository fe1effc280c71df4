package safetensors

import (
	"encoding/binary"
	"reflect"
	"strings"
	"testing"
)

func TestParseHeaderValid(t *testing.T) {
	header := `{"b":{"dtype":"F16","shape":[2],"data_offsets":[8,12]},` +
		`"__metadata__":{"format":"pt","k":"v"},` +
		`"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},` +
		`"empty":{"dtype":"I64","shape":[0,3],"data_offsets":[12,12]},` +
		`"scalar":{"dtype":"U8","shape":[],"data_offsets":[12,13]},` +
		`"nibbles":{"dtype":"F4","shape":[2,3],"data_offsets":[13,16]}}   `
	file := frame(header, make([]byte, 16))
	h, err := ParseHeader(file, int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	if h.Size != int64(len(header)) || h.DataStart != 8+int64(len(header)) || h.DataSize != 16 {
		t.Errorf("Size, DataStart, DataSize = %d, %d, %d; want %d, %d, 16", h.Size, h.DataStart, h.DataSize, len(header), 8+len(header))
	}
	want := []TensorInfo{
		{"a", F32, []int{2}, 0, 8},
		{"b", F16, []int{2}, 8, 12},
		{"empty", I64, []int{0, 3}, 12, 12},
		{"nibbles", F4, []int{2, 3}, 13, 16},
		{"scalar", U8, []int{}, 12, 13},
	}
	if !reflect.DeepEqual(h.Tensors, want) {
		t.Errorf("Tensors =\n%v\nwant\n%v", h.Tensors, want)
	}
	if !reflect.DeepEqual(h.Metadata, map[string]string{"format": "pt", "k": "v"}) {
		t.Errorf("Metadata = %v", h.Metadata)
	}
}

func TestParseHeaderEmptyObject(t *testing.T) {
	file := frame("{}", nil)
	h, err := ParseHeader(file, int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Tensors) != 0 || h.Metadata != nil || h.DataSize != 0 {
		t.Errorf("got %+v, want no tensors, no metadata, no data", h)
	}
}

// TestParseHeaderRejects covers every kind of bad header: each case must fail
// with a *FormatError naming the tensor and what was expected and found.
func TestParseHeaderRejects(t *testing.T) {
	const ok = `"ok":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}`
	cases := []struct {
		name   string
		header string
		data   int
		wants  []string
	}{
		{"empty header", "", 0, []string{"header is empty"}},
		{"malformed JSON", `{"a":{"dtype":"F32",}}`, 0, []string{`tensor "a"`, "not valid JSON"}},
		{"unterminated object", `{` + ok, 8, []string{"ends before its object is closed"}},
		{"value cut short", `{"a":{"dtype":"F3`, 0, []string{`tensor "a"`, "not valid JSON"}},
		{"not an object: array", `[1,2]`, 0, []string{"JSON object", "found an array"}},
		{"not an object: string", `"hello"`, 0, []string{"JSON object", `found the string "hello"`}},
		{"not an object: number", `42`, 0, []string{"JSON object", "found the number 42"}},
		{"trailing object", `{}{}`, 0, []string{"found an object after the header object"}},
		{"trailing garbage", `{} x`, 0, []string{"after the header object"}},
		{"invalid UTF-8", "{\"\xff\":1}", 0, []string{"UTF-8"}},
		{"duplicate name", `{` + ok + `,` + ok + `}`, 16, []string{`tensor "ok"`, "twice"}},
		{"entry not an object", `{"a":[1]}`, 0, []string{`tensor "a"`, "must be an object", "found [1]"}},
		{"missing dtype", `{"a":{"shape":[1],"data_offsets":[0,4]}}`, 4, []string{`tensor "a"`, `no "dtype"`}},
		{"missing shape", `{"a":{"dtype":"F32","data_offsets":[0,4]}}`, 4, []string{`tensor "a"`, `no "shape"`}},
		{"null shape", `{"a":{"dtype":"F32","shape":null,"data_offsets":[0,4]}}`, 4, []string{`tensor "a"`, `no "shape"`}},
		{"missing offsets", `{"a":{"dtype":"F32","shape":[1]}}`, 4, []string{`tensor "a"`, `no "data_offsets"`}},
		{"dtype not a string", `{"a":{"dtype":32,"shape":[1],"data_offsets":[0,4]}}`, 4, []string{`tensor "a"`, `field "dtype" holds a number`}},
		{"shape not an array", `{"a":{"dtype":"F32","shape":4,"data_offsets":[0,4]}}`, 4, []string{`tensor "a"`, `field "shape" holds a number`}},
		{"unknown dtype", `{"a":{"dtype":"F24","shape":[1],"data_offsets":[0,3]}}`, 3, []string{`tensor "a"`, `unknown dtype "F24"`, "F32"}},
		{"lower-case dtype", `{"a":{"dtype":"f32","shape":[1],"data_offsets":[0,4]}}`, 4, []string{`unknown dtype "f32"`}},
		{"negative dim", `{"a":{"dtype":"F32","shape":[2,-1],"data_offsets":[0,0]}}`, 0, []string{`tensor "a"`, "shape[1] is -1", "non-negative integer"}},
		{"fractional dim", `{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}`, 4, []string{"shape[0] is 1.5"}},
		{"exponent dim", `{"a":{"dtype":"F32","shape":[1e2],"data_offsets":[0,400]}}`, 400, []string{"shape[0] is 1e2"}},
		{"string dim", `{"a":{"dtype":"F32","shape":["2"],"data_offsets":[0,8]}}`, 8, []string{`shape[0] is "2"`}},
		{"huge dim", `{"a":{"dtype":"F32","shape":[99999999999999999999],"data_offsets":[0,4]}}`, 4, []string{"shape[0] is 99999999999999999999"}},
		{"shape overflow", `{"a":{"dtype":"U8","shape":[4294967296,4294967296],"data_offsets":[0,4]}}`, 4, []string{`tensor "a"`, "63 bits"}},
		{"byte overflow", `{"a":{"dtype":"F64","shape":[4611686018427387904],"data_offsets":[0,4]}}`, 4, []string{`tensor "a"`, "63 bits"}},
		{"one offset", `{"a":{"dtype":"F32","shape":[1],"data_offsets":[4]}}`, 4, []string{"data_offsets has 1 values, expected 2"}},
		{"negative offset", `{"a":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}}`, 4, []string{"data_offsets[0] is -4"}},
		{"begin after end", `{"a":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}`, 8, []string{`tensor "a"`, "[8, 4]", "begin <= end"}},
		{"offsets past data", `{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}`, 8, []string{`tensor "a"`, "[0, 16]", "data area of 8 bytes"}},
		{"size mismatch", `{"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,12]}}`, 12, []string{`tensor "a"`, "[2 3]", "needs 24 bytes", "span 12"}},
		{"dtype size mismatch", `{"a":{"dtype":"F16","shape":[4],"data_offsets":[0,16]}}`, 16, []string{"F16 needs 8 bytes", "span 16"}},
		{"sub-byte not whole", `{"a":{"dtype":"F4","shape":[3],"data_offsets":[0,2]}}`, 2, []string{"12 bits", "whole number of bytes"}},
		{"overlap", `{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}`, 12,
			[]string{`tensor "b"`, "[4, 12]", `overlap tensor "a" at [0, 8]`}},
		{"identical offsets", `{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, 4,
			[]string{`tensor "b"`, `overlap tensor "a"`}},
		{"empty tensor inside another", `{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"e":{"dtype":"F32","shape":[0],"data_offsets":[4,4]}}`, 8,
			[]string{`tensor "e"`, "overlap"}},
		{"hole", `{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}`, 12,
			[]string{`tensor "b"`, "bytes [4, 8)", "without holes"}},
		{"hole at start", `{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, 8, []string{"bytes [0, 4)"}},
		{"trailing data bytes", `{` + ok + `}`, 12, []string{"data area is 12 bytes", "cover only the first 8"}},
		{"metadata not an object", `{"__metadata__":"x"}`, 0, []string{"__metadata__", "object of string values"}},
		{"metadata non-string value", `{"__metadata__":{"n":1}}`, 0, []string{"__metadata__", "number"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			file := frame(c.header, make([]byte, c.data))
			h, err := ParseHeader(file, int64(len(file)))
			if err == nil {
				t.Fatalf("accepted %s as %+v", c.header, h)
			}
			t.Log(err)
			wantFormatError(t, err, c.wants...)
		})
	}
}

// TestParseHeaderLengthField covers the 8-byte length field: too short a
// file, a length beyond the file or over the cap, and too short a prefix.
func TestParseHeaderLengthField(t *testing.T) {
	withLength := func(n uint64, rest string) []byte {
		b := binary.LittleEndian.AppendUint64(nil, n)
		return append(b, rest...)
	}
	valid := frame(`{}`, nil)
	cases := []struct {
		name     string
		prefix   []byte
		fileSize int64
		wants    []string
	}{
		{"empty file", nil, 0, []string{"file is 0 bytes", "8-byte header length"}},
		{"truncated length", []byte{2, 0, 0}, 3, []string{"file is 3 bytes"}},
		{"length beyond file", withLength(100, `{}`), 10, []string{"header length field is 100 bytes", "only 2 bytes after it"}},
		{"length over cap", withLength(MaxHeaderSize+1, `{}`), 1 << 40, []string{"100000001", "over the 100000000-byte cap"}},
		{"length field all ones", withLength(^uint64(0), `{}`), 10, []string{"18446744073709551615", "cap"}},
		{"prefix shorter than header", valid[:5], int64(len(valid)), []string{"given 5 header bytes", "need at least the 8-byte"}},
		{"prefix cut in header", valid[:9], int64(len(valid)), []string{"given 9 header bytes, the header needs 10"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseHeader(c.prefix, c.fileSize)
			t.Log(err)
			wantFormatError(t, err, c.wants...)
		})
	}
}

// TestParseHeaderErrorHasNoPath checks that ParseHeader, which sees bytes
// only, does not invent a path, while its message still reads well.
func TestParseHeaderErrorHasNoPath(t *testing.T) {
	file := frame(`{"a":{"dtype":"X","shape":[],"data_offsets":[0,0]}}`, nil)
	_, err := ParseHeader(file, int64(len(file)))
	fe := wantFormatError(t, err)
	if fe.Path != "" || fe.Tensor != "a" || !strings.HasPrefix(err.Error(), `safetensors: tensor "a": unknown dtype`) {
		t.Errorf("got Path %q, Tensor %q, message %q", fe.Path, fe.Tensor, err)
	}
}
