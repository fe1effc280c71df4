package decoder

import (
	"math"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
)

// rotary returns cos and sin of positions [T] (int32) times the inverse frequencies inv,
// duplicated over the two halves of a head: each [1, 1, T, dh] in dtype. Angles are float32
// products, as in HuggingFace, whatever dtype the graph computes in.
func rotary(positions *Node, inv []float64, dtype dtypes.DType) (cos, sin *Node) {
	g, t := positions.Graph(), positions.Shape().Dimensions[0]
	freqs := make([]float32, len(inv))
	for j, f := range inv {
		freqs[j] = float32(f)
	}
	angles := Mul(Reshape(ConvertDType(positions, dtypes.Float32), t, 1), Reshape(Const(g, freqs), 1, len(freqs))) // [T, dh/2]
	angles = Reshape(Concatenate([]*Node{angles, angles}, 1), 1, 1, t, 2*len(freqs))
	cos, sin = Cos(angles), Sin(angles)
	if dtype != dtypes.Float32 {
		cos, sin = ConvertDType(cos, dtype), ConvertDType(sin, dtype)
	}
	return cos, sin
}

// rotate applies rotary embeddings to x [B, heads, T, dh]: x·cos + rotate_half(x)·sin, with
// rotate_half(x) = (−x[dh/2:], x[:dh/2]). rotate(x, cos, −sin) undoes it: the backward pass
// rotates cotangents that way.
func rotate(x, cos, sin *Node) *Node {
	half := x.Shape().Dimensions[3] / 2
	first := Slice(x, AxisRange(), AxisRange(), AxisRange(), AxisRangeFromStart(half))
	second := Slice(x, AxisRange(), AxisRange(), AxisRange(), AxisRangeToEnd(half))
	rotated := Concatenate([]*Node{Neg(second), first}, 3)
	dims := x.Shape().Dimensions
	return Add(Mul(x, BroadcastToDims(cos, dims...)), Mul(rotated, BroadcastToDims(sin, dims...)))
}

// RotaryFrequencies are the plain rotary inverse frequencies θ^(−2j/dh), j < dh/2, before any
// rope_scaling.
func RotaryFrequencies(theta float64, headDim int) []float64 {
	inv := make([]float64, headDim/2)
	for j := range inv {
		inv[j] = 1 / math.Pow(theta, float64(2*j)/float64(headDim))
	}
	return inv
}
