package safetensors

import (
	"github.com/ecco-go/ecco/ecco/atomicfile"

	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/bits"
	"sort"
)

// Tensor is a named float32 tensor to write; Data is row-major and holds
// exactly the product of Shape values (1 for a scalar, Shape empty).
type Tensor struct {
	Name  string
	Shape []int
	Data  []float32
}

// Write writes tensors to path as a safetensors file whose tensors are all
// stored as dtype (F32, F16 or BF16, rounding to nearest even), with optional
// string metadata (nil for none). Tensors are laid out in name order and the
// header is padded to 8 bytes, so the same input always gives the same bytes.
// The file appears atomically: it is written to a temporary file in the same
// directory, synced, then renamed, so path never holds a partial file.
func Write(path string, tensors []Tensor, dtype DType, metadata map[string]string) error {
	if dtype != F32 && dtype != F16 && dtype != BF16 {
		return fmt.Errorf("safetensors: write %s: dtype %q, expected F32, F16 or BF16", path, dtype)
	}
	sorted, err := sortedTensors(tensors)
	if err != nil {
		return fmt.Errorf("safetensors: write %s: %w", path, err)
	}
	header, err := encodeHeader(sorted, dtype, metadata)
	if err != nil {
		return fmt.Errorf("safetensors: write %s: %w", path, err)
	}
	err = atomicfile.Write(path, func(w io.Writer) error {
		if _, err := w.Write(header); err != nil {
			return err
		}
		return writeData(w, sorted, dtype)
	})
	if err != nil {
		return fmt.Errorf("safetensors: write %s: %w", path, err)
	}
	return nil
}

// sortedTensors checks names and shapes and returns the tensors by name.
func sortedTensors(tensors []Tensor) ([]Tensor, error) {
	sorted := append([]Tensor(nil), tensors...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	for i, t := range sorted {
		switch {
		case t.Name == "":
			return nil, fmt.Errorf("a tensor has an empty name")
		case t.Name == metadataKey:
			return nil, fmt.Errorf("tensor name %q is reserved for metadata", t.Name)
		case i > 0 && sorted[i-1].Name == t.Name:
			return nil, fmt.Errorf("tensor %q given twice", t.Name)
		}
		elements := uint64(1)
		for _, d := range t.Shape {
			if d < 0 {
				return nil, fmt.Errorf("tensor %q: shape %v has a negative dimension", t.Name, t.Shape)
			}
			hi, lo := bits.Mul64(elements, uint64(d))
			if hi != 0 || lo > math.MaxInt64 {
				return nil, fmt.Errorf("tensor %q: shape %v has more elements than fit in 63 bits", t.Name, t.Shape)
			}
			elements = lo
		}
		if elements != uint64(len(t.Data)) {
			return nil, fmt.Errorf("tensor %q: shape %v needs %d values, Data holds %d", t.Name, t.Shape, elements, len(t.Data))
		}
	}
	return sorted, nil
}

// headerJSONEntry is one tensor entry as written; field order matches the
// reference writer's.
type headerJSONEntry struct {
	DType       DType    `json:"dtype"`
	Shape       []int    `json:"shape"`
	DataOffsets [2]int64 `json:"data_offsets"`
}

// encodeHeader returns the 8-byte length field followed by the header JSON,
// padded with spaces so that the data area starts 8-byte aligned.
func encodeHeader(sorted []Tensor, dtype DType, metadata map[string]string) ([]byte, error) {
	entries := make(map[string]any, len(sorted)+1) // encoding/json sorts map keys
	if len(metadata) > 0 {
		entries[metadataKey] = metadata
	}
	size := int64(dtype.Bits() / 8)
	var offset int64
	for _, t := range sorted {
		end := offset + int64(len(t.Data))*size
		entries[t.Name] = headerJSONEntry{DType: dtype, Shape: append([]int{}, t.Shape...), DataOffsets: [2]int64{offset, end}}
		offset = end
	}
	var buf bytes.Buffer
	buf.Write(make([]byte, lengthFieldSize))
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep names like "a<b" readable; both forms are valid JSON
	if err := enc.Encode(entries); err != nil {
		return nil, fmt.Errorf("encoding header: %w", err)
	}
	buf.Truncate(buf.Len() - 1) // Encode's trailing newline
	for buf.Len()%8 != 0 {
		buf.WriteByte(' ')
	}
	out := buf.Bytes()
	binary.LittleEndian.PutUint64(out, uint64(len(out)-lengthFieldSize))
	return out, nil
}

// writeData streams the tensors' values through a fixed scratch buffer, so
// writing a large model needs no second copy of it in memory.
func writeData(w io.Writer, sorted []Tensor, dtype DType) error {
	size := dtype.Bits() / 8
	const chunk = 1 << 14 // values per write
	scratch := make([]byte, chunk*size)
	for _, t := range sorted {
		for start := 0; start < len(t.Data); start += chunk {
			values := t.Data[start:min(start+chunk, len(t.Data))]
			out := scratch[:len(values)*size]
			encodeFloat32(out, values, dtype)
			if _, err := w.Write(out); err != nil {
				return err
			}
		}
	}
	return nil
}
