package safetensors

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Expected half bits come from Python's struct format 'e' (IEEE binary16,
// round to nearest even), an implementation independent of this one.
var halfVectors = []struct {
	in   float32
	want uint16
}{
	{0, 0x0000},
	{float32(math.Copysign(0, -1)), 0x8000},
	{1, 0x3c00},
	{-2, 0xc000},
	{0.1, 0x2e66},
	{1.0 / 3, 0x3555},
	{3.1415927, 0x4248},
	{1e-3, 0x1419},
	{65504, 0x7bff},             // largest half
	{65519.98828125, 0x7bff},    // just below the rounding boundary
	{65520, 0x7c00},             // rounds to +Inf
	{0x1p-24, 0x0001},           // smallest subnormal
	{0x1p-25, 0x0000},           // tie between 0 and 2^-24: even is 0
	{0x1.8p-25, 0x0001},         // above the tie
	{0x1p-14, 0x0400},           // smallest normal
	{0x1p-14 - 0x1p-24, 0x03ff}, // largest subnormal
	{1 + 0x1p-11, 0x3c00},       // tie: keeps the even 1.0
	{1 + 3*0x1p-11, 0x3c02},     // tie: rounds up to even
	{-1e-7, 0x8002},
	{6e-8, 0x0001},
	{float32(math.Inf(1)), 0x7c00},
	{float32(math.Inf(-1)), 0xfc00},
	{1e-30, 0x0000}, // far below the subnormals
}

func TestFloat32ToHalfVectors(t *testing.T) {
	for _, v := range halfVectors {
		if got := Float32ToHalf(v.in); got != v.want {
			t.Errorf("Float32ToHalf(%g) = %#04x, want %#04x", v.in, got, v.want)
		}
	}
	if h := Float32ToHalf(float32(math.NaN())); h&0x7c00 != 0x7c00 || h&0x3ff == 0 {
		t.Errorf("Float32ToHalf(NaN) = %#04x, not a NaN", h)
	}
}

// TestHalfRoundTripExhaustive decodes every half and encodes it back: every
// half is exact in float32, so the encoder must return the same bits.
func TestHalfRoundTripExhaustive(t *testing.T) {
	for h := range 1 << 16 {
		f := HalfToFloat32(uint16(h))
		if h&0x7c00 == 0x7c00 && h&0x3ff != 0 { // NaN: stays NaN, payload aside
			if !math.IsNaN(float64(f)) {
				t.Fatalf("HalfToFloat32(%#04x) = %g, want NaN", h, f)
			}
			continue
		}
		if back := Float32ToHalf(f); back != uint16(h) {
			t.Fatalf("Float32ToHalf(HalfToFloat32(%#04x) = %g) = %#04x", h, f, back)
		}
	}
	// Spot values decoded by hand from the binary16 definition.
	for h, want := range map[uint16]float32{0x3c00: 1, 0xc000: -2, 0x7bff: 65504, 0x0001: 0x1p-24, 0x03ff: 0x1p-14 - 0x1p-24, 0x3555: 0.333251953125} {
		if got := HalfToFloat32(h); got != want {
			t.Errorf("HalfToFloat32(%#04x) = %g, want %g", h, got, want)
		}
	}
}

// TestFloat32ToHalfNearestEven checks on random float32 values that the
// chosen half is the nearest representable one, ties going to even, by
// comparing (in float64, exactly) with its two neighbours.
func TestFloat32ToHalfNearestEven(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200_000 {
		// Exponents spanning subnormal to overflow halves.
		f := float32(math.Ldexp(rng.Float64()*2-1, rng.IntN(48)-30))
		checkNearest(t, "half", float64(f), Float32ToHalf(f), func(h uint16) float64 { return float64(HalfToFloat32(h)) }, 0x7c00)
	}
}

func TestBFloat16Vectors(t *testing.T) {
	cases := []struct {
		bits uint32 // float32 bits in
		want uint16
	}{
		{0x3f800000, 0x3f80}, // 1
		{0x40490fdb, 0x4049}, // pi: low half below the tie
		{0x3dcccccd, 0x3dcd}, // 0.1: low half above the tie
		{0x3f808000, 0x3f80}, // tie, kept bit even: stays
		{0x3f818000, 0x3f82}, // tie, kept bit odd: rounds up
		{0xbf818000, 0xbf82}, // same, negative
		{0x7f7fffff, 0x7f80}, // max float32 rounds to +Inf
		{0x00000001, 0x0000}, // tiny subnormal rounds to zero
		{0x7f800000, 0x7f80}, // +Inf
	}
	for _, c := range cases {
		if got := Float32ToBFloat16(math.Float32frombits(c.bits)); got != c.want {
			t.Errorf("Float32ToBFloat16(bits %#08x) = %#04x, want %#04x", c.bits, got, c.want)
		}
	}
	if h := Float32ToBFloat16(math.Float32frombits(0x7f800001)); h&0x7f80 != 0x7f80 || h&0x7f == 0 {
		t.Errorf("Float32ToBFloat16(signalling NaN) = %#04x, not a NaN", h)
	}
	if got := BFloat16ToFloat32(0x4049); got != 3.140625 {
		t.Errorf("BFloat16ToFloat32(0x4049) = %g, want 3.140625", got)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200_000 {
		f := math.Float32frombits(rng.Uint32())
		if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
			continue
		}
		checkNearest(t, "bfloat16", float64(f), Float32ToBFloat16(f), func(h uint16) float64 { return float64(BFloat16ToFloat32(h)) }, 0x7f80)
	}
}

// checkNearest fails unless got decodes to the value nearest x among got and
// its two neighbours in magnitude, with ties on the even encoding. infBits is
// the format's +Inf, which is right for x past the largest finite value
// plus half a step.
func checkNearest(t *testing.T, format string, x float64, got uint16, decode func(uint16) float64, infBits uint16) {
	t.Helper()
	mag := got &^ 0x8000
	if mag == infBits {
		below := decode(infBits - 1)
		step := below - decode(infBits-2)
		if math.Abs(x) < below+step/2 {
			t.Fatalf("%s(%g) = Inf, but %g is nearer", format, x, below)
		}
		return
	}
	d := math.Abs(x - decode(got))
	for _, n := range []uint16{mag - 1, mag + 1} {
		if mag == 0 && n == 0xffff { // no smaller magnitude than zero
			continue
		}
		nb := n | got&0x8000
		dn := math.Abs(x - decode(nb))
		if dn < d || (dn == d && got&1 == 1) {
			t.Fatalf("%s(%g) = %#04x (%g), but %#04x (%g) is nearer or the even tie", format, x, got, decode(got), nb, decode(nb))
		}
	}
}

// TestDecodeF32Portable checks the byte-by-byte F32 path taken on
// big-endian hosts against the single-copy path taken here.
func TestDecodeF32Portable(t *testing.T) {
	values := []float32{1, -2.5, 0x1p-149, float32(math.Inf(-1)), 3.1415927}
	raw := make([]byte, 4*len(values))
	encodeFloat32(raw, values, F32)
	fast := make([]float32, len(values))
	decodeFloat32(fast, raw, F32)
	saved := hostLittleEndian
	hostLittleEndian = false
	defer func() { hostLittleEndian = saved }()
	portable := make([]float32, len(values))
	decodeFloat32(portable, raw, F32)
	for i := range values {
		if fast[i] != values[i] || portable[i] != values[i] {
			t.Errorf("value %d: copy path %v, portable path %v, want %v", i, fast[i], portable[i], values[i])
		}
	}
}
