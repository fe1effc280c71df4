package decoder

import (
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
)

// Params gives graph code the weight nodes by checkpoint key.
type Params map[string]*Node

// Get returns the weight of key; asking for a weight the family did not load is a programmer
// error (the loader checked the checkpoint against the same names).
func (p Params) Get(key string) *Node {
	w, ok := p[key]
	if !ok {
		panic("decoder: graph asked for unknown weight " + key)
	}
	return w
}

// Has reports whether an optional weight (a bias) was loaded.
func (p Params) Has(key string) bool {
	_, ok := p[key]
	return ok
}

// vec reshapes a [D] weight to broadcast against x's last axis: [1, ..., 1, D].
func vec(w, x *Node) *Node {
	dims := make([]int, x.Rank())
	for i := range dims {
		dims[i] = 1
	}
	dims[len(dims)-1] = w.Shape().Dimensions[0]
	return Reshape(w, dims...)
}

// Linear is torch's nn.Linear: x [..., in] · weightᵀ (+ bias), the weight stored [out, in], or
// [in, out] under prefix+"weight"+InOut (Spec.Linear, Spec.InOut); the bias is added
// when prefix+"bias" was loaded.
func (p Params) Linear(prefix string, x *Node) *Node {
	var y *Node
	if w, ok := p[prefix+"weight"+InOut]; ok {
		y = WeightProduct(x, w)
	} else {
		y = DotGeneral(x, []int{x.Rank() - 1}, nil, p.Get(prefix+"weight"), []int{1}, nil)
	}
	if p.Has(prefix + "bias") {
		y = Add(y, vec(p[prefix+"bias"], y))
	}
	return y
}

// LayerNorm normalises x over its last axis with the biased variance, as torch does, then
// scales by prefix+"weight" and shifts by prefix+"bias". The normalisation runs in float64: its
// statistics summed in float32 put GPT-2's layer predictions twice as far from Ecco's.
func (p Params) LayerNorm(prefix string, x *Node, eps float64) *Node {
	last := x.Rank() - 1
	x64 := ConvertDType(x, dtypes.Float64)
	centred := Sub(x64, ReduceAndKeep(x64, ReduceMean, last))
	variance := ReduceAndKeep(Mul(centred, centred), ReduceMean, last)
	normed := ConvertDType(Div(centred, Sqrt(AddScalar(variance, eps))), x.DType())
	return Add(Mul(normed, vec(p.Get(prefix+"weight"), x)), vec(p.Get(prefix+"bias"), x))
}

// RMSNorm is LLaMA's norm: weight · x / sqrt(mean(x²) + eps), no centring and no bias; the
// normalisation runs in float64, as LayerNorm's. With offset the scale is 1 + weight (Gemma).
func (p Params) RMSNorm(prefix string, x *Node, eps float64, offset bool) *Node {
	x64 := ConvertDType(x, dtypes.Float64)
	meanSquare := ReduceAndKeep(Mul(x64, x64), ReduceMean, x.Rank()-1)
	normed := ConvertDType(Div(x64, Sqrt(AddScalar(meanSquare, eps))), x.DType())
	return Mul(normed, p.scale(prefix, x, offset))
}

// scale is a norm's weight broadcast against x, plus one when offset.
func (p Params) scale(prefix string, x *Node, offset bool) *Node {
	w := vec(p.Get(prefix+"weight"), x)
	if offset {
		w = AddScalar(w, 1)
	}
	return w
}

// SplitHeads turns projections [B, n, heads·dh] into [B, heads, n, dh].
func SplitHeads(y *Node, heads int) *Node {
	b, n, width := y.Shape().Dimensions[0], y.Shape().Dimensions[1], y.Shape().Dimensions[2]
	return TransposeAllAxes(Reshape(y, b, n, heads, width/heads), 0, 2, 1, 3)
}
