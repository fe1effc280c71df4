package safetensors

import (
	"encoding/binary"
	"errors"
	"testing"
)

// FuzzParseHeader feeds arbitrary header JSON, framed with a correct length
// field and a data area of dataSize bytes, and also the raw bytes as a whole
// file. ParseHeader must never panic, must fail only with a *FormatError, and
// whatever it accepts must satisfy the format's invariants.
func FuzzParseHeader(f *testing.F) {
	f.Add([]byte(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`), uint16(8))
	f.Fuzz(func(t *testing.T, header []byte, dataSize uint16) {
		framed := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
		framed = append(framed, header...)
		fileSize := int64(len(framed)) + int64(dataSize)
		checkParse(t, framed, fileSize)
		checkParse(t, header, int64(len(header))+int64(dataSize))
	})
}

func checkParse(t *testing.T, prefix []byte, fileSize int64) {
	h, err := ParseHeader(prefix, fileSize)
	if err != nil {
		var fe *FormatError
		if !errors.As(err, &fe) {
			t.Fatalf("error %v is %T, want *FormatError", err, err)
		}
		return
	}
	if h.DataStart != 8+h.Size || h.DataStart+h.DataSize != fileSize || h.DataStart > int64(len(prefix)) {
		t.Fatalf("accepted inconsistent sizes %+v for a %d-byte file", h, fileSize)
	}
	var total int64
	for i, ti := range h.Tensors {
		if i > 0 && h.Tensors[i-1].Name >= ti.Name {
			t.Fatalf("tensors not sorted by unique name: %q then %q", h.Tensors[i-1].Name, ti.Name)
		}
		if !ti.DType.Known() || ti.Begin < 0 || ti.Begin > ti.End || ti.End > h.DataSize {
			t.Fatalf("accepted bad tensor %+v (data size %d)", ti, h.DataSize)
		}
		if bits := int64(ti.NumElements()) * int64(ti.DType.Bits()); bits != 8*(ti.End-ti.Begin) {
			t.Fatalf("accepted %+v whose %d bits do not fill its offsets", ti, bits)
		}
		total += ti.End - ti.Begin
	}
	if total != h.DataSize { // with no overlap, this means no hole either
		t.Fatalf("tensors cover %d bytes of a %d-byte data area", total, h.DataSize)
	}
}
