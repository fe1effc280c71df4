package safetensors

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/bits"
	"sort"
	"strconv"
)

// rawTensorEntry is a header entry before validation. Pointers tell a
// missing field from an empty one; numbers stay raw so that each can be
// checked to be a plain integer (encoding/json would accept "12" or 1e2).
type rawTensorEntry struct {
	DType       *string            `json:"dtype"`
	Shape       *[]json.RawMessage `json:"shape"`
	DataOffsets *[]json.RawMessage `json:"data_offsets"`
}

// parseTensorInfo decodes and validates one tensor entry against a data area
// of dataSize bytes: known dtype, non-negative dimensions whose product does
// not overflow, offsets inside the data area whose span matches the shape.
func parseTensorInfo(name string, raw json.RawMessage, dataSize int64) (TensorInfo, error) {
	info := TensorInfo{Name: name}
	raw = bytes.TrimSpace(raw)
	const want = `an object {"dtype": string, "shape": [int, ...], "data_offsets": [begin, end]}`
	if len(raw) == 0 || raw[0] != '{' {
		return info, formatErrorf(name, "entry must be %s, found %s", want, truncate(string(raw), 40))
	}
	var e rawTensorEntry
	if err := json.Unmarshal(raw, &e); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return info, formatErrorf(name, "field %q holds a %s, expected the entry to be %s", typeErr.Field, typeErr.Value, want)
		}
		return info, &FormatError{Tensor: name, Problem: "entry must be " + want, Err: err}
	}
	switch {
	case e.DType == nil:
		return info, formatErrorf(name, "entry has no \"dtype\"")
	case e.Shape == nil || *e.Shape == nil:
		return info, formatErrorf(name, "entry has no \"shape\" array")
	case e.DataOffsets == nil || *e.DataOffsets == nil:
		return info, formatErrorf(name, "entry has no \"data_offsets\" array")
	}
	info.DType = DType(*e.DType)
	if !info.DType.Known() {
		return info, formatErrorf(name, "unknown dtype %q, expected one of the specification's (F32, F16, BF16, F64, I64, I32, U8, BOOL, ...)", truncate(*e.DType, 40))
	}
	elements, err := parseShape(&info, *e.Shape)
	if err != nil {
		return info, err
	}
	if err := parseOffsets(&info, *e.DataOffsets, dataSize); err != nil {
		return info, err
	}
	return info, checkByteSize(info, elements)
}

// parseShape fills info.Shape and returns the element count.
func parseShape(info *TensorInfo, dims []json.RawMessage) (uint64, error) {
	info.Shape = make([]int, len(dims))
	elements := uint64(1)
	for i, raw := range dims {
		d, err := parseInt(raw)
		if err != nil || d < 0 || d > math.MaxInt {
			return 0, formatErrorf(info.Name, "shape[%d] is %s, expected a non-negative integer", i, truncate(string(raw), 40))
		}
		info.Shape[i] = int(d)
		hi, lo := bits.Mul64(elements, uint64(d))
		if hi != 0 || lo > math.MaxInt64 {
			return 0, formatErrorf(info.Name, "shape %v has more elements than fit in 63 bits", info.Shape[:i+1])
		}
		elements = lo
	}
	return elements, nil
}

// parseOffsets fills info.Begin and info.End from [begin, end], which must
// satisfy 0 <= begin <= end <= dataSize.
func parseOffsets(info *TensorInfo, offsets []json.RawMessage, dataSize int64) error {
	if len(offsets) != 2 {
		return formatErrorf(info.Name, "data_offsets has %d values, expected 2: [begin, end]", len(offsets))
	}
	var v [2]int64
	for i, raw := range offsets {
		n, err := parseInt(raw)
		if err != nil || n < 0 {
			return formatErrorf(info.Name, "data_offsets[%d] is %s, expected a non-negative integer", i, truncate(string(raw), 40))
		}
		v[i] = n
	}
	info.Begin, info.End = v[0], v[1]
	if info.Begin > info.End {
		return formatErrorf(info.Name, "data_offsets [%d, %d] end before they begin, expected begin <= end", info.Begin, info.End)
	}
	if info.End > dataSize {
		return formatErrorf(info.Name, "data_offsets [%d, %d] reach past the data area of %d bytes (truncated file?)", info.Begin, info.End, dataSize)
	}
	return nil
}

// checkByteSize checks that the offsets span exactly the bytes the shape and
// dtype need. Sizes are counted in bits because of the sub-byte dtypes.
func checkByteSize(info TensorInfo, elements uint64) error {
	bitsPer := uint64(info.DType.Bits())
	hi, totalBits := bits.Mul64(elements, bitsPer)
	if hi != 0 || totalBits/8 > math.MaxInt64 {
		return formatErrorf(info.Name, "shape %v of %s needs more bytes than fit in 63 bits", info.Shape, info.DType)
	}
	if totalBits%8 != 0 {
		return formatErrorf(info.Name, "shape %v of %s is %d bits, not a whole number of bytes", info.Shape, info.DType, totalBits)
	}
	if need, span := int64(totalBits/8), info.End-info.Begin; need != span {
		return formatErrorf(info.Name, "shape %v of %s needs %d bytes, but data_offsets [%d, %d] span %d",
			info.Shape, info.DType, need, info.Begin, info.End, span)
	}
	return nil
}

// parseInt reads a JSON number that must be written as a plain integer.
func parseInt(raw json.RawMessage) (int64, error) {
	s := string(bytes.TrimSpace(raw))
	if s == "" || s[0] == '+' { // ParseInt accepts "+1"; JSON does not
		return 0, errors.New("not an integer")
	}
	return strconv.ParseInt(s, 10, 64)
}

// checkLayout checks that the tensors tile the data area exactly, as the
// specification and the reference implementation require: no two tensors
// share a byte, and no byte (in the middle or at the end) belongs to none.
// Holes are rejected rather than tolerated because a conforming writer never
// makes them, so one signals a corrupt or hand-crafted file.
func checkLayout(tensors []TensorInfo, dataSize int64) error {
	byOffset := make([]*TensorInfo, len(tensors))
	for i := range tensors {
		byOffset[i] = &tensors[i]
	}
	sort.Slice(byOffset, func(i, j int) bool {
		a, b := byOffset[i], byOffset[j]
		if a.Begin != b.Begin {
			return a.Begin < b.Begin
		}
		if a.End != b.End {
			return a.End < b.End
		}
		return a.Name < b.Name
	})
	var covered int64
	var prev *TensorInfo
	for _, t := range byOffset {
		if t.Begin < covered {
			return formatErrorf(t.Name, "data_offsets [%d, %d] overlap tensor %q at [%d, %d], expected disjoint tensors",
				t.Begin, t.End, prev.Name, prev.Begin, prev.End)
		}
		if t.Begin > covered {
			return formatErrorf(t.Name, "data_offsets [%d, %d] leave bytes [%d, %d) of the data area unused, expected tensors packed without holes",
				t.Begin, t.End, covered, t.Begin)
		}
		covered, prev = t.End, t
	}
	if covered != dataSize {
		return formatErrorf("", "data area is %d bytes but the tensors cover only the first %d, expected no trailing bytes (truncated header or corrupt file?)",
			dataSize, covered)
	}
	return nil
}
