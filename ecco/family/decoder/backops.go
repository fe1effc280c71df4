package decoder

import (
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
)

// backLinear is the input cotangent of Linear(prefix): dy [..., out] -> [..., in], one product
// over all rows; no bias term.
//
// Why the plain layout for an [in, out] weight (contracted on its last axis) and not dot.go's
// (W·dyᵀ)ᵀ: with the targets batched the products have hundreds of rows, and the transpose of
// the [in, rows] result costs more than packing the weight (BENCHMARKS.md).
func (p Params) backLinear(prefix string, dy *Node) *Node {
	last := []int{dy.Rank() - 1}
	if w, ok := p[prefix+"weight"+InOut]; ok {
		return DotGeneral(dy, last, nil, w, []int{1}, nil)
	}
	return DotGeneral(dy, last, nil, p.Get(prefix+"weight"), []int{0}, nil)
}

// normBackward is a norm's input cotangent, dy [..., D] -> [..., D], with g = dy·weight and x̂
// normed, 1/σ rstd [..., 1]: LayerNorm (1/σ)·(g − mean(g) − x̂·mean(g·x̂)), RMSNorm
// (1/rms)·(g − x̂·mean(g·x̂)).
func normBackward(p Params, n Norm, normed, rstd, dy *Node) *Node {
	d := dy.Shape().Dimensions[dy.Rank()-1]
	g := Mul(dy, p.scale(n.Prefix, dy, n.Offset))
	meanNormed := MulScalar(rowSums(Mul(g, normed)), 1/float64(d)) // [...]
	r := Reshape(rstd, meanNormed.Shape().Dimensions...)
	out := Sub(Mul(g, spreadRows(r, d)), Mul(normed, spreadRows(Mul(r, meanNormed), d)))
	if n.Kind == LayerNorm {
		out = Sub(out, spreadRows(Mul(r, MulScalar(rowSums(g), 1/float64(d))), d))
	}
	return out
}

// rowSums sums x [..., W] over its last axis: [...]. As a product with ones, because compute
// v0.1.6 reduces through a generic iterator (BENCHMARKS.md).
func rowSums(x *Node) *Node {
	w := x.Shape().Dimensions[x.Rank()-1]
	return DotGeneral(x, []int{x.Rank() - 1}, nil, Ones(x.Graph(), shapes.Make(x.DType(), w)), []int{0}, nil)
}

// spreadRows repeats v [...] along a new last axis of width w: [..., w]. As an outer product with
// ones, because an implicitly broadcast operand sends compute v0.1.6 through a generic iterator
// (BENCHMARKS.md).
func spreadRows(v *Node, w int) *Node {
	ones := Ones(v.Graph(), shapes.Make(v.DType(), 1, w))
	return DotGeneral(InsertAxes(v, -1), []int{v.Rank()}, nil, ones, []int{0}, nil)
}

// spread repeats a forward value [B, ...] for each of k targets: [k·B, ...] (nil stays nil).
// As k copies joined, because compute v0.1.6 broadcasts through a generic iterator and joins
// with copy (BENCHMARKS.md, "Spreading and rotations without generic iterators").
func spread(x *Node, k int) *Node {
	if x == nil || k == 1 {
		return x
	}
	copies := make([]*Node, k)
	for i := range copies {
		copies[i] = x
	}
	return Concatenate(copies, 0)
}

// diagonal takes target j's own row of a last-block value x whose axis holds the k targets and
// whose first axis is the batch, B or 1 (shared): [k·B, ...] with axis reduced to 1, row j·B + b
// holding x[b, ..., j, ...] (nil stays nil).
func diagonal(x *Node, axis, b int) *Node {
	if x == nil {
		return nil
	}
	dims := x.Shape().Dimensions
	if dims[0] != b {
		dims = append([]int{b}, dims[1:]...)
		x = BroadcastToDims(x, dims...)
	}
	k := dims[axis]
	perm := []int{axis}
	for i := range dims {
		if i != axis {
			perm = append(perm, i)
		}
	}
	out := append([]int(nil), dims...)
	out[0], out[axis] = k*b, 1
	return Reshape(TransposeAllAxes(x, perm...), out...)
}

// scatterRows puts each target's row r [k·B, 1, W] at its position, pick [k, T] one-hot:
// [k·B, T, W], zero elsewhere.
func scatterRows(r, pick *Node) *Node {
	kb, w := r.Shape().Dimensions[0], r.Shape().Dimensions[2]
	k, t := pick.Shape().Dimensions[0], pick.Shape().Dimensions[1]
	at := Reshape(BroadcastToDims(Reshape(pick, k, 1, t, 1), k, kb/k, t, w), kb, t, w)
	return Mul(at, BroadcastToDims(r, kb, t, w))
}
