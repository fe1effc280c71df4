package gpt2

import (
	"math"

	"github.com/gomlx/compute/shapes"

	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
)

// The backward pass of an attribution, written by hand and batched over the k targets.
//
// Why: GoMLX's autodiff gives each target its own backward pass, so every weight product of
// every block runs k times on T rows (about 60 on the benchmark prompt); compute v0.1.6 packs the
// weight again on each call (PackRHS/PackLHS ≈ 20% of the CPU time of `generate 35 +
// grad_x_input`) and runs 60-row products well below its peak. Here the k cotangents of a pass
// (passes.go) travel together as one batch of k·B sequences, so each weight product runs once
// over k·B·T rows. Measured with `ecco bench` on DistilGPT2, back to back against main (2 cores,
// load 1.2–1.6): generate 35 + grad_x_input 3.04 s → 1.57 s, integrated gradients for 10
// tokens 27.5 s → 11.3 s.
//
// Layout: a cotangent is [k·B, n, D], target-major (row j·B + b is target j, sequence b);
// forward values [B, ...] from the tape are repeated per target with spread. In the last block
// only the target rows are queries, and target j's cotangent lives on its own row alone, so
// there the cotangents are [k·B, 1, D] and the tape's rows are taken along the diagonal.

// targetGradients returns ∂(Σ_d seed·final)/∂embeds per target, [k, B, T, D] flattened to
// [k·B, T, D], given seed [B, k, D] (the LM head's gradient at the target rows).
func (m *Model) targetGradients(p params, tp *tape, seed *Node) *Node {
	k := seed.Shape().Dimensions[1]
	last := tp.blocks[len(tp.blocks)-1]
	d := normBackward(p, tp.lnf.prefix, diagonal(tp.lnf.normed), diagonal(tp.lnf.rstd), diagonal(seed))
	d = m.mlpBackward(p, last, diagonal(last.slope), diagonal(last.ln2.normed), diagonal(last.ln2.rstd), d)
	// Attention of target j's own query row: its weights and query along the diagonal.
	b, h, t := last.probs.Shape().Dimensions[0], last.probs.Shape().Dimensions[1], last.probs.Shape().Dimensions[3]
	probs := Reshape(TransposeAllAxes(last.probs, 2, 0, 1, 3), k*b, h, 1, t)
	q := Reshape(TransposeAllAxes(last.q, 2, 0, 1, 3), k*b, h, 1, m.Config.HeadDim())
	dq, dk, dv := m.attentionBackward(p, last.layer, probs, q, spread(last.keys, k), spread(last.values, k), d)
	dh := backProduct(Concatenate([]*Node{scatterRows(dq, tp.pick), dk, dv}, 2), p[last.layer+"attn.c_attn.weight"])
	dx := Add(scatterRows(d, tp.pick), normBackward(p, last.ln1.prefix, spread(last.ln1.normed, k), spread(last.ln1.rstd, k), dh))
	for i := len(tp.blocks) - 2; i >= 0; i-- {
		dx = m.blockBackward(p, tp.blocks[i], k, dx)
	}
	return dx
}

// blockBackward takes the cotangent of a full block's output, d [k·B, T, D], to its input.
func (m *Model) blockBackward(p params, bt blockTape, k int, d *Node) *Node {
	d = m.mlpBackward(p, bt, spread(bt.slope, k), spread(bt.ln2.normed, k), spread(bt.ln2.rstd, k), d)
	dq, dk, dv := m.attentionBackward(p, bt.layer, spread(bt.probs, k), spread(bt.q, k), spread(bt.keys, k), spread(bt.values, k), d)
	dh := backProduct(Concatenate([]*Node{dq, dk, dv}, 2), p[bt.layer+"attn.c_attn.weight"])
	return Add(d, normBackward(p, bt.ln1.prefix, spread(bt.ln1.normed, k), spread(bt.ln1.rstd, k), dh))
}

// mlpBackward takes d, the cotangent of rows + c_proj(act(c_fc(ln_2(rows)))), to rows; slope,
// normed and rstd are the tape's values aligned with d's rows.
func (m *Model) mlpBackward(p params, bt blockTape, slope, normed, rstd, d *Node) *Node {
	pre := Mul(backProduct(d, p[bt.layer+"mlp.c_proj.weight"]), slope)
	return Add(d, normBackward(p, bt.ln2.prefix, normed, rstd, backProduct(pre, p[bt.layer+"mlp.c_fc.weight"])))
}

// attentionBackward takes d [k·B, n, D], the cotangent of the attention's output (after
// c_proj), to the merged query, key and value cotangents: [k·B, n, D], [k·B, T, D] twice.
// probs [k·B, H, n, T], q [k·B, H, n, dh], keys and values [k·B, H, T, dh] are the forward's.
func (m *Model) attentionBackward(p params, layer string, probs, q, keys, values, d *Node) (dq, dk, dv *Node) {
	out := m.splitHeads(backProduct(d, p[layer+"attn.c_proj.weight"]))                                        // [k·B, H, n, dh]
	dProbs := DotGeneral(out, []int{3}, []int{0, 1}, values, []int{3}, []int{0, 1})                           // [k·B, H, n, T]
	dScores := Mul(probs, Sub(dProbs, spreadRows(rowSums(Mul(dProbs, probs)), dProbs.Shape().Dimensions[3]))) // softmax'; 0 where masked
	dScores = MulScalar(dScores, 1/math.Sqrt(float64(m.Config.HeadDim())))                                    // scores = q·kᵀ/√dh
	dq = DotGeneral(dScores, []int{3}, []int{0, 1}, keys, []int{2}, []int{0, 1})                              // [k·B, H, n, dh]
	dk = DotGeneral(dScores, []int{2}, []int{0, 1}, q, []int{2}, []int{0, 1})                                 // [k·B, H, T, dh]
	dv = DotGeneral(probs, []int{2}, []int{0, 1}, out, []int{2}, []int{0, 1})                                 // [k·B, H, T, dh]
	return m.mergeHeads(dq), m.mergeHeads(dk), m.mergeHeads(dv)
}

// mergeHeads undoes splitHeads: [B, H, n, dh] -> [B, n, D].
func (m *Model) mergeHeads(x *Node) *Node {
	b, n := x.Shape().Dimensions[0], x.Shape().Dimensions[2]
	return Reshape(TransposeAllAxes(x, 0, 2, 1, 3), b, n, m.Config.NEmbd)
}

// backProduct is dy [..., out] · wᵀ for w [in, out]: [..., in], one product over all rows.
//
// Why the plain layout (w contracted on its last axis, packed by compute's scalar loop) and not
// dot.go's (W·dyᵀ)ᵀ: with the targets batched the products have hundreds of rows, and the
// transpose of the [in, rows] result costs more than packing w. Measured (GFLOP/s, plain
// against (W·dyᵀ)ᵀ, 2 cores, loaded machine): 300×3072×768 112/62, 300×768×768 108/88,
// 3000×768×3072 107/48, 35×3072×768 46/21.
func backProduct(dy, w *Node) *Node {
	return DotGeneral(dy, []int{dy.Rank() - 1}, nil, w, []int{1}, nil)
}

// normBackward is a layer norm's input cotangent, dy [..., D] -> [..., D]:
// (1/σ)·(g − mean(g) − x̂·mean(g·x̂)) with g = dy·weight; normed is x̂ and rstd 1/σ [..., 1].
func normBackward(p params, prefix string, normed, rstd, dy *Node) *Node {
	d := dy.Shape().Dimensions[dy.Rank()-1]
	g := Mul(dy, p.vec(prefix+"weight", dy))
	mean := MulScalar(rowSums(g), 1/float64(d))                    // [...]
	meanNormed := MulScalar(rowSums(Mul(g, normed)), 1/float64(d)) // [...]
	r := Reshape(rstd, mean.Shape().Dimensions...)
	scaled := Sub(Mul(g, spreadRows(r, d)), Mul(normed, spreadRows(Mul(r, meanNormed), d)))
	return Sub(scaled, spreadRows(Mul(r, mean), d))
}

// rowSums sums x [..., W] over its last axis: [...]. As a product with ones, because compute
// v0.1.6 reduces through a generic iterator: on [6, 300, 3072], ReduceSum 0.36 Gelem/s, the
// product 2.6 (2 cores, quiet).
func rowSums(x *Node) *Node {
	w := x.Shape().Dimensions[x.Rank()-1]
	return DotGeneral(x, []int{x.Rank() - 1}, nil, Ones(x.Graph(), shapes.Make(x.DType(), w)), []int{0}, nil)
}

// spreadRows repeats v [...] along a new last axis of width w: [..., w]. As an outer product with
// ones, because an implicitly broadcast operand sends compute v0.1.6 through a generic iterator:
// x [6, 300, 3072] times a [6, 300, 1] row scale runs at 0.51 Gelem/s, times the outer product
// (with its cost) at 1.07.
func spreadRows(v *Node, w int) *Node {
	ones := Ones(v.Graph(), shapes.Make(v.DType(), 1, w))
	return DotGeneral(InsertAxes(v, -1), []int{v.Rank()}, nil, ones, []int{0}, nil)
}

// spread repeats a forward value [B, ...] for each of k targets: [k·B, ...].
func spread(x *Node, k int) *Node {
	dims := x.Shape().Dimensions
	repeated := BroadcastToDims(InsertAxes(x, 0), append([]int{k}, dims...)...)
	return Reshape(repeated, append([]int{k * dims[0]}, dims[1:]...)...)
}

// diagonal takes target j's own row j of a last-block value [B, k, W]: [k·B, 1, W].
func diagonal(x *Node) *Node {
	b, k, w := x.Shape().Dimensions[0], x.Shape().Dimensions[1], x.Shape().Dimensions[2]
	return Reshape(Transpose(x, 0, 1), k*b, 1, w)
}

// scatterRows puts each target's row r [k·B, 1, W] at its position, pick [k, T] one-hot:
// [k·B, T, W], zero elsewhere.
func scatterRows(r, pick *Node) *Node {
	kb, w := r.Shape().Dimensions[0], r.Shape().Dimensions[2]
	k, t := pick.Shape().Dimensions[0], pick.Shape().Dimensions[1]
	at := Reshape(BroadcastToDims(Reshape(pick, k, 1, t, 1), k, kb/k, t, w), kb, t, w)
	return Mul(at, BroadcastToDims(r, kb, t, w))
}

// activationSlopes are the derivatives of activations, by the same names.
var activationSlopes = map[string]func(x *Node) *Node{
	"gelu_new":          geluTanhSlope,
	"gelu_pytorch_tanh": geluTanhSlope,
	"gelu_fast":         geluTanhSlope,
	"gelu":              geluErfSlope,
	"relu":              func(x *Node) *Node { return ConvertDType(GreaterThan(x, ZerosLike(x)), x.DType()) },
	"quick_gelu":        func(x *Node) *Node { return sigmoidGateSlope(x, 1.702) },
	"silu":              func(x *Node) *Node { return sigmoidGateSlope(x, 1) },
	"swish":             func(x *Node) *Node { return sigmoidGateSlope(x, 1) },
}

// geluTanhSlope: with u = c·(x + 0.044715·x³), c = √(2/π), the derivative of
// 0.5·x·(1 + tanh u) is 0.5·(1 + tanh u) + 0.5·x·(1 − tanh² u)·c·(1 + 3·0.044715·x²).
func geluTanhSlope(x *Node) *Node {
	c := math.Sqrt(2 / math.Pi)
	square := Mul(x, x)
	th := Tanh(MulScalar(Add(x, MulScalar(Mul(square, x), 0.044715)), c))
	du := MulScalar(AddScalar(MulScalar(square, 3*0.044715), 1), c)
	inner := Mul(Mul(MulScalar(x, 0.5), OneMinus(Mul(th, th))), du)
	return Add(MulScalar(AddScalar(th, 1), 0.5), inner)
}

// geluErfSlope: the derivative of x·Φ(x) is Φ(x) + x·φ(x).
func geluErfSlope(x *Node) *Node {
	cdf := MulScalar(AddScalar(Erf(MulScalar(x, 1/math.Sqrt2)), 1), 0.5)
	pdf := MulScalar(Exp(MulScalar(Mul(x, x), -0.5)), 1/math.Sqrt(2*math.Pi))
	return Add(cdf, Mul(x, pdf))
}

// sigmoidGateSlope: the derivative of x·σ(a·x) is σ + a·x·σ·(1 − σ).
func sigmoidGateSlope(x *Node, a float64) *Node {
	s := Sigmoid(MulScalar(x, a))
	return Add(s, MulScalar(Mul(x, Mul(s, OneMinus(s))), a))
}
