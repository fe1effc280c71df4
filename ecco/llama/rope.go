package llama

import (
	"math"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
)

// InverseFrequencies are the rotary frequencies θ^(−2j/dh), j < dh/2, after rope_scaling, as
// HuggingFace's rope initialisation computes them.
func (c *Config) InverseFrequencies() []float64 {
	half := c.HeadDim / 2
	inv := make([]float64, half)
	for j := range inv {
		inv[j] = 1 / math.Pow(c.RopeTheta, float64(2*j)/float64(c.HeadDim))
	}
	s := c.Rope
	switch s.Type {
	case "linear":
		for j := range inv {
			inv[j] /= s.Factor
		}
	case "llama3":
		// Long wavelengths are divided by factor, short ones kept, and the band between
		// interpolated smoothly (transformers' _compute_llama3_parameters).
		old := float64(s.OriginalContext)
		lowWavelen, highWavelen := old/s.LowFreqFactor, old/s.HighFreqFactor
		for j, f := range inv {
			wavelen := 2 * math.Pi / f
			switch {
			case wavelen > lowWavelen:
				inv[j] = f / s.Factor
			case wavelen >= highWavelen:
				smooth := (old/wavelen - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor)
				inv[j] = (1-smooth)*f/s.Factor + smooth*f
			}
		}
	}
	return inv
}

// rotary returns cos and sin of positions [T] (int32) times the frequencies, duplicated over the
// two halves of a head: each [1, 1, T, dh]. Angles are float32 products, as in HuggingFace.
func rotary(positions *Node, inv []float64) (cos, sin *Node) {
	g, t := positions.Graph(), positions.Shape().Dimensions[0]
	freqs := make([]float32, len(inv))
	for j, f := range inv {
		freqs[j] = float32(f)
	}
	angles := Mul(Reshape(ConvertDType(positions, dtypes.Float32), t, 1), Reshape(Const(g, freqs), 1, len(freqs))) // [T, dh/2]
	angles = Reshape(Concatenate([]*Node{angles, angles}, 1), 1, 1, t, 2*len(freqs))
	return Cos(angles), Sin(angles)
}

// rotate applies rotary embeddings to x [B, heads, T, dh]: x·cos + rotate_half(x)·sin, with
// rotate_half(x) = (−x[dh/2:], x[:dh/2]).
func rotate(x, cos, sin *Node) *Node {
	half := x.Shape().Dimensions[3] / 2
	first := Slice(x, AxisRange(), AxisRange(), AxisRange(), AxisRangeFromStart(half))
	second := Slice(x, AxisRange(), AxisRange(), AxisRange(), AxisRangeToEnd(half))
	rotated := Concatenate([]*Node{Neg(second), first}, 3)
	return Add(Mul(x, broadcast(cos, x)), Mul(rotated, broadcast(sin, x)))
}

// broadcast expands a [1, 1, T, dh] table to x's shape.
func broadcast(table, x *Node) *Node {
	return BroadcastToDims(table, x.Shape().Dimensions...)
}
