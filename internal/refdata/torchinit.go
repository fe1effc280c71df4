package refdata

import (
	"math"

	"github.com/ecco-go/ecco/internal/mt19937"
)

// torchNormal is PyTorch's normal_(mean, std) on a contiguous float32 tensor of n values drawn
// from gen (the CPU kernel's vectorised path): n uniforms of 24 bits, then Box–Muller on blocks
// of 16 (u1 from the first eight, u2 from the last eight). Torch redraws the last block when n
// is not a multiple of 16; the recipes need no such size, so it is not reproduced. Sleef's float32 log, sin and cos may differ from Go's
// correctly rounded ones in the last bit, so values agree with torch's within an ulp.
func torchNormal(gen *mt19937.MT, n int, mean, std float32) []float32 {
	if n%16 != 0 {
		panic("refdata: torchNormal reproduces sizes that are multiples of 16 only")
	}
	d := make([]float32, n)
	for i := range d {
		d[i] = torchUniform(gen)
	}
	for i := 0; i < n; i += 16 {
		boxMuller16(d[i:i+16], mean, std)
	}
	return d
}

// torchUniform is at::uniform_real_distribution<float>(0, 1): the low 24 bits of one draw.
func torchUniform(gen *mt19937.MT) float32 {
	return float32(gen.Uint32()&(1<<24-1)) * (1.0 / (1 << 24))
}

// boxMuller16 turns 16 uniforms into 16 normals in float32 steps, as normal_fill_16 does.
func boxMuller16(d []float32, mean, std float32) {
	for j := range 8 {
		u1, u2 := 1-d[j], d[j+8]
		radius := float32(math.Sqrt(float64(-2 * float32(math.Log(float64(u1))))))
		theta := float32(2*math.Pi) * u2
		d[j] = radius*float32(math.Cos(float64(theta)))*std + mean
		d[j+8] = radius*float32(math.Sin(float64(theta)))*std + mean
	}
}
