package safetensors

import (
	"encoding/binary"
	"math"
	"unsafe"
)

// hostLittleEndian is true on the usual hosts (amd64, arm64), where F32 data
// has the in-memory layout of []float32 and can be copied in one memmove.
var hostLittleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// decodeFloat32 converts little-endian raw elements of dtype into dst, which
// holds exactly len(raw)/size elements. dtype must convert to float32.
// copyPiece is how many bytes decodeFloat32 copies between preemption points.
const copyPiece = 1 << 20

func decodeFloat32(dst []float32, raw []byte, dtype DType) {
	le := binary.LittleEndian
	switch dtype {
	case F32:
		if hostLittleEndian && len(dst) > 0 {
			// In pieces: one copy of a 154 MB tensor cannot be preempted, and the garbage
			// collector spun waiting for it (BENCHMARKS.md).
			out := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(dst))), 4*len(dst))
			for off := 0; off < len(out); off += copyPiece {
				copy(out[off:min(off+copyPiece, len(out))], raw[off:])
			}
			return
		}
		for i := range dst {
			dst[i] = math.Float32frombits(le.Uint32(raw[4*i:]))
		}
	case F16:
		for i := range dst {
			dst[i] = HalfToFloat32(le.Uint16(raw[2*i:]))
		}
	case BF16:
		for i := range dst {
			dst[i] = BFloat16ToFloat32(le.Uint16(raw[2*i:]))
		}
	case F64:
		for i := range dst {
			dst[i] = float32(math.Float64frombits(le.Uint64(raw[8*i:])))
		}
	}
}

// encodeFloat32 writes src as little-endian elements of dtype (F32, F16 or
// BF16) into dst, which holds len(src)*size bytes.
func encodeFloat32(dst []byte, src []float32, dtype DType) {
	le := binary.LittleEndian
	switch dtype {
	case F32:
		for i, v := range src {
			le.PutUint32(dst[4*i:], math.Float32bits(v))
		}
	case F16:
		for i, v := range src {
			le.PutUint16(dst[2*i:], Float32ToHalf(v))
		}
	case BF16:
		for i, v := range src {
			le.PutUint16(dst[2*i:], Float32ToBFloat16(v))
		}
	}
}

// HalfToFloat32 converts IEEE 754 binary16 bits to float32; every half value,
// subnormals, infinities and NaN payloads included, is exactly representable.
func HalfToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h) & 0x3ff
	switch exp {
	case 0: // zero or subnormal: mant * 2^-24, exact in float32
		v := float32(mant) * (1.0 / (1 << 24))
		return math.Float32frombits(sign | math.Float32bits(v))
	case 0x1f: // infinity or NaN
		return math.Float32frombits(sign | 0x7f800000 | mant<<13)
	}
	// Rebias the exponent from 15 to 127.
	return math.Float32frombits(sign | (exp+127-15)<<23 | mant<<13)
}

// Float32ToHalf converts f to IEEE 754 binary16 bits, rounding to nearest
// with ties to even; values past the largest half (65504) round to infinity
// and NaN stays NaN (quiet).
func Float32ToHalf(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int32(b>>23) & 0xff
	mant := b & 0x7fffff
	if exp == 0xff {
		if mant != 0 {
			return sign | 0x7e00 | uint16(mant>>13)
		}
		return sign | 0x7c00
	}
	halfExp := exp - 127 + 15
	if halfExp >= 0x1f {
		return sign | 0x7c00
	}
	if halfExp >= 1 { // normal: drop 13 mantissa bits
		v := uint32(halfExp)<<10 | mant>>13
		v += roundUp(mant, 13, v)
		if v >= 0x7c00 { // rounding carried into the infinity exponent
			return sign | 0x7c00
		}
		return sign | uint16(v)
	}
	// Subnormal half (or zero): the value in units of 2^-24 is
	// significand * 2^(exp-126); shift right by 126-exp.
	shift := uint32(126 - exp)
	if exp == 0 || shift > 24 { // below half the smallest subnormal
		return sign
	}
	significand := mant | 0x800000
	v := significand >> shift
	v += roundUp(significand, shift, v)
	return sign | uint16(v) // v == 0x400 is the smallest normal, encoded right
}

// roundUp is 1 when dropping the low `drop` bits of x, leaving kept, must
// round up under round-to-nearest-even.
func roundUp(x uint32, drop uint32, kept uint32) uint32 {
	rest := x & (1<<drop - 1)
	half := uint32(1) << (drop - 1)
	if rest > half || (rest == half && kept&1 == 1) {
		return 1
	}
	return 0
}

// BFloat16ToFloat32 converts bfloat16 bits (the top half of a float32) to
// float32, exactly.
func BFloat16ToFloat32(h uint16) float32 {
	return math.Float32frombits(uint32(h) << 16)
}

// Float32ToBFloat16 converts f to bfloat16 bits, rounding to nearest with
// ties to even; NaN stays NaN (quiet).
func Float32ToBFloat16(f float32) uint16 {
	b := math.Float32bits(f)
	if b&0x7fffffff > 0x7f800000 {
		return uint16(b>>16) | 0x0040
	}
	// Adding 0x7fff plus the lowest kept bit rounds half to even; a carry
	// into the exponent gives the next power of two or infinity, as it should.
	return uint16((b + 0x7fff + (b>>16)&1) >> 16)
}
