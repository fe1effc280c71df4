package decoder

import (
	"math"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
)

// rotary returns cos and sin of positions [T] (int32) times the inverse frequencies inv,
// duplicated over the two halves of the rotated dimensions: each [1, 1, T, r], r = 2·len(inv),
// in dtype. Angles are float32
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

// rotate applies rotary embeddings to x [B, heads, T, dh] with cos and sin [1, 1, T, r]: its
// first r dimensions y become y·cos + rotate_half(y)·sin, with rotate_half(y) = (−y[r/2:],
// y[:r/2]), and the other dh − r stay as they are (partial rotary, r < dh). rotate(x, cos, −sin)
// undoes it: the backward pass rotates cotangents that way.
func rotate(x, cos, sin *Node) *Node {
	dims := x.Shape().Dimensions
	r := cos.Shape().Dimensions[3]
	if r < dims[3] {
		turned := rotate(sliceAxis(x, 3, 0, r), cos, sin)
		return Concatenate([]*Node{turned, sliceAxis(x, 3, r, dims[3])}, 3)
	}
	half := r / 2
	first := Slice(x, AxisRange(), AxisRange(), AxisRange(), AxisRangeFromStart(half))
	second := Slice(x, AxisRange(), AxisRange(), AxisRange(), AxisRangeToEnd(half))
	rotated := Concatenate([]*Node{Neg(second), first}, 3)
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
