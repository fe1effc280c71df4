package decoder

import (
	"slices"

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

// Linear is torch's nn.Linear: x [..., in] · weightᵀ (+ bias), the weight held [out, in] as
// stored, or [in, out] under prefix+"weight"+InOut (Spec.Linear, Spec.InOut); the bias is added
// when prefix+"bias" was loaded.
func (p Params) Linear(prefix string, x *Node) *Node {
	var y *Node
	if w, ok := p[prefix+"weight"+InOut]; ok {
		y = WeightProduct(x, w)
	} else {
		y = p.storedProduct(prefix+"weight", x)
	}
	if p.Has(prefix + "bias") {
		y = Add(y, vec(p[prefix+"bias"], y))
	}
	return y
}

// LayerNorm is Norm{LayerNorm, prefix, eps}.Apply: for graph code outside an Arch (BERT).
func (p Params) LayerNorm(prefix string, x *Node, eps float64) *Node {
	return Norm{Kind: LayerNorm, Prefix: prefix, Eps: eps}.Apply(p, x)
}

// normalize divides x [..., D], centred first for a LayerNorm, by its standard deviation (or
// root mean square) over the last axis: x̂ in x's dtype, and σ [..., 1] in float64. The
// statistics run in float64: summed in float32 they put GPT-2's layer predictions twice as far
// from Ecco's.
func normalize(n Norm, x *Node) (normed, std *Node) {
	last := x.Rank() - 1
	centred := ConvertDType(x, dtypes.Float64)
	if n.Kind == LayerNorm {
		centred = Sub(centred, ReduceAndKeep(centred, ReduceMean, last))
	}
	std = Sqrt(AddScalar(ReduceAndKeep(Mul(centred, centred), ReduceMean, last), n.Eps))
	return ConvertDType(Div(centred, std), x.DType()), std
}

// affine scales x̂ by the norm's weight (1 + weight with Offset) and, for a LayerNorm, adds its
// bias.
func (n Norm) affine(p Params, normed *Node) *Node {
	y := Mul(normed, p.scale(n.Prefix, normed, n.Offset))
	if n.Kind == LayerNorm {
		y = Add(y, vec(p.Get(n.Prefix+"bias"), normed))
	}
	return y
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

// storedProduct is x [..., in] · Wᵀ for the weight key held [out, in]: [..., out].
//
// Why three ways: compute v0.1.6 packs a right operand contracted on its last axis (W here) with
// a scalar loop. One row goes through W's row blocks when it has them (RowBlock) and otherwise
// takes the small kernel, which packs nothing; a few rows (fewer than a quarter of in) go
// through (W·xᵀ)ᵀ, where W is the left operand, packed with SIMD, and only the small result is
// transposed; many rows amortise the packing (BENCHMARKS.md, "nn.Linear weights as stored").
func (p Params) storedProduct(key string, x *Node) *Node {
	if y, ok := p.oneRowProduct(key, x); ok {
		return y
	}
	return storedMatMul(p.Get(key), x)
}

// storedMatMul is x [..., in] · wᵀ for w held [out, in] without row blocks: storedProduct's
// other two ways, which the LM head without its [D, V] copy takes too.
func storedMatMul(w, x *Node) *Node {
	out, in := w.Shape().Dimensions[0], w.Shape().Dimensions[1]
	rows := x.Shape().Size() / in
	dims := slices.Clone(x.Shape().Dimensions)
	dims[len(dims)-1] = out
	switch {
	case rows > 1 && 4*rows < in:
		return Reshape(Transpose(DotGeneral(w, []int{1}, nil, Reshape(x, rows, in), []int{1}, nil), 0, 1), dims...)
	default:
		return DotGeneral(x, []int{x.Rank() - 1}, nil, w, []int{1}, nil)
	}
}
