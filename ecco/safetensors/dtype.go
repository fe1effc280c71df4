package safetensors

// DType names the element type of a tensor exactly as it is spelled in a
// safetensors header ("F32", "BF16", ...).
type DType string

// The element types of the safetensors specification. Only F32, F16, BF16 and
// F64 convert to float32; the others are recognised so that a file holding
// them still opens and can be inspected (see File.Bytes).
const (
	BOOL   DType = "BOOL"
	F4     DType = "F4"      // 4-bit float (E2M1), two per byte.
	F6E2M3 DType = "F6_E2M3" // 6-bit float, packed.
	F6E3M2 DType = "F6_E3M2" // 6-bit float, packed.
	U8     DType = "U8"
	I8     DType = "I8"
	F8E5M2 DType = "F8_E5M2"
	F8E4M3 DType = "F8_E4M3"
	F8E8M0 DType = "F8_E8M0"
	I16    DType = "I16"
	U16    DType = "U16"
	F16    DType = "F16"
	BF16   DType = "BF16"
	I32    DType = "I32"
	U32    DType = "U32"
	F32    DType = "F32"
	C64    DType = "C64" // complex64: two float32.
	F64    DType = "F64"
	I64    DType = "I64"
	U64    DType = "U64"
)

// dtypeBits is the storage width of one element in bits. Sub-byte types
// (F4, F6_*) are why sizes are counted in bits: a tensor's byte length is
// elements*bits/8 and must come out whole.
var dtypeBits = map[DType]int64{
	BOOL: 8, F4: 4, F6E2M3: 6, F6E3M2: 6,
	U8: 8, I8: 8, F8E5M2: 8, F8E4M3: 8, F8E8M0: 8,
	I16: 16, U16: 16, F16: 16, BF16: 16,
	I32: 32, U32: 32, F32: 32,
	C64: 64, F64: 64, I64: 64, U64: 64,
}

// Known reports whether d is one of the specification's element types.
func (d DType) Known() bool {
	_, ok := dtypeBits[d]
	return ok
}

// Bits is the storage width of one element in bits, or 0 for an unknown type.
func (d DType) Bits() int {
	return int(dtypeBits[d])
}

// ConvertsToFloat32 reports whether File.Float32 can read tensors of type d.
func (d DType) ConvertsToFloat32() bool {
	switch d {
	case F32, F16, BF16, F64:
		return true
	}
	return false
}
