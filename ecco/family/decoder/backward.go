package decoder

import (
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
)

// The backward pass of an attribution, written by hand from the Arch's pieces and batched over
// the k targets.
//
// Why: GoMLX's autodiff gives each target its own backward pass, so every weight product of
// every block runs k times on T rows, and compute packs the weight again on each call. Here the
// k cotangents of a pass (passes.go) travel together as one batch of k·B sequences, so each
// weight product runs once over k·B·T rows (BENCHMARKS.md).
//
// Layout: a cotangent is [k·B, n, D], target-major (row j·B + b is target j, sequence b);
// forward values [B, ...] from the tape are repeated per target with spread. In the last block
// only the target rows are queries, and target j's cotangent lives on its own row alone, so
// there the cotangents are [k·B, 1, D] and the tape's rows are taken along the diagonal.

// targetGradients returns ∂(Σ_d seed·out)/∂embeds per target, [k, B, T, D] flattened to
// [k·B, T, D], given seed [B, k, D] (the LM head's gradient at the target rows, HeadSeed).
func (a *Arch) targetGradients(p Params, tp *tape, seed *Node) *Node {
	b, k := seed.Shape().Dimensions[0], seed.Shape().Dimensions[1]
	last := tp.blocks[len(tp.blocks)-1]
	l := a.Layers[last.layer]
	at := l.Attention
	diag := func(x *Node, axis int) *Node { return diagonal(x, axis, b) }
	d := normBackward(p, tp.final.norm, diag(tp.final.normed, 1), diag(tp.final.rstd, 1), diag(seed, 1)) // [k·B, 1, D]
	dh := ffnBackward(p, l.FFN, diag(last.slope, 1), diag(last.upSlope, 1), d)
	d = Add(d, normBackward(p, l.FFNNorm, diag(last.ffnNorm.normed, 1), diag(last.ffnNorm.rstd, 1), dh))
	// Attention of target j's own query row: its weights, query and rotation along the diagonal.
	dq, dk, dv := at.backward(p, diag(last.probs, 2), diag(last.q, 2), spread(last.keys, k), spread(last.values, k), d)
	if at.Rotary != nil {
		dq, dk = rotate(dq, diag(last.qCos, 2), Neg(diag(last.qSin, 2))), rotate(dk, last.kCos, Neg(last.kSin))
	}
	dh = at.projectionBackward(p, mergeHeads(dq), mergeHeads(dk), mergeHeads(dv), tp.pick)
	dx := Add(scatterRows(d, tp.pick), normBackward(p, l.AttnNorm, spread(last.attnNorm.normed, k), spread(last.attnNorm.rstd, k), dh))
	for i := len(tp.blocks) - 2; i >= 0; i-- {
		dx = a.blockBackward(p, tp.blocks[i], k, dx)
	}
	return dx
}

// blockBackward takes the cotangent of a full block's output, d [k·B, T, D], to its input.
func (a *Arch) blockBackward(p Params, bt blockTape, k int, d *Node) *Node {
	l := a.Layers[bt.layer]
	at := l.Attention
	dh := ffnBackward(p, l.FFN, spread(bt.slope, k), spread(bt.upSlope, k), d)
	d = Add(d, normBackward(p, l.FFNNorm, spread(bt.ffnNorm.normed, k), spread(bt.ffnNorm.rstd, k), dh))
	dq, dk, dv := at.backward(p, spread(bt.probs, k), spread(bt.q, k), spread(bt.keys, k), spread(bt.values, k), d)
	if at.Rotary != nil {
		dq, dk = rotate(dq, bt.qCos, Neg(bt.qSin)), rotate(dk, bt.kCos, Neg(bt.kSin))
	}
	dh = at.projectionBackward(p, mergeHeads(dq), mergeHeads(dk), mergeHeads(dv), nil)
	return Add(d, normBackward(p, l.AttnNorm, spread(bt.attnNorm.normed, k), spread(bt.attnNorm.rstd, k), dh))
}

// ffnBackward takes d [k·B, n, D], the cotangent of the FFN's output, to its input's (the
// FFN norm's output); slope and upSlope are the tape's, aligned with d's rows.
func ffnBackward(p Params, f FeedForward, slope, upSlope, d *Node) *Node {
	dn := p.backLinear(f.Down, d) // [k·B, n, N]
	if f.Gate == "" {
		return p.backLinear(f.Up, Mul(dn, slope))
	}
	return Add(p.backLinear(f.Gate, Mul(dn, slope)), p.backLinear(f.Up, Mul(dn, upSlope)))
}

// backward takes d [k·B, n, D], the cotangent of the attention's output (after Out), to the
// cotangents of the queries [k·B, H, n, dh], keys and values [k·B, KV, T, dh] as the softmax
// saw them (after rotary). probs [k·B, H, n, T], q [k·B, H, n, dh], keys and values
// [k·B, KV, T, dh] are the forward's. A key/value head's cotangent sums its query group's.
func (a SelfAttention) backward(p Params, probs, q, keys, values, d *Node) (dq, dk, dv *Node) {
	kb, n, t := probs.Shape().Dimensions[0], probs.Shape().Dimensions[2], probs.Shape().Dimensions[3]
	rows := kb * a.KVHeads           // one product per key/value head of each row
	grouped := func(x *Node) *Node { // [k·B, H, n, W] -> [k·B·KV, G·n, W]: a head group's queries together
		return Reshape(x, rows, a.Heads/a.KVHeads*n, x.Shape().Dimensions[3])
	}
	perHead := func(x *Node) *Node { // [k·B, KV, T, W] -> [k·B·KV, T, W]
		return Reshape(x, rows, t, x.Shape().Dimensions[3])
	}
	dOut := grouped(SplitHeads(p.backLinear(a.Out, d), a.Heads))                                                    // [k·B·KV, G·n, dh]
	dProbs := Reshape(DotGeneral(dOut, []int{2}, []int{0}, perHead(values), []int{2}, []int{0}), kb, a.Heads, n, t) // [k·B, H, n, T]
	dScores := Mul(probs, Sub(dProbs, spreadRows(rowSums(Mul(dProbs, probs)), t)))                                  // softmax'; 0 where masked
	if a.Scale != 1 {
		dScores = MulScalar(dScores, a.Scale)
	}
	dq = Reshape(DotGeneral(grouped(dScores), []int{2}, []int{0}, perHead(keys), []int{1}, []int{0}), kb, a.Heads, n, a.HeadDim)
	// The key and value products sum over the group's queries: the weights go first, transposed
	// ([T, G·n], small), so that neither operand of width dh needs the backend's transpose.
	dk = DotGeneral(Transpose(grouped(dScores), 1, 2), []int{2}, []int{0}, grouped(q), []int{1}, []int{0})
	dv = DotGeneral(Transpose(grouped(probs), 1, 2), []int{2}, []int{0}, dOut, []int{1}, []int{0})
	return dq, Reshape(dk, kb, a.KVHeads, t, a.HeadDim), Reshape(dv, kb, a.KVHeads, t, a.HeadDim)
}

// projectionBackward takes the cotangents of the projections' outputs, dq [k·B, n, H·dh] and
// dk, dv [k·B, T, KV·dh], to their input's, [k·B, T, D]. In the last block the query rows are
// the targets' (pick [k, T]) and go back to their positions; biases need no backward pass.
func (a SelfAttention) projectionBackward(p Params, dq, dk, dv, pick *Node) *Node {
	if a.Fused != "" {
		if pick != nil {
			dq = scatterRows(dq, pick)
		}
		return p.backLinear(a.Fused, Concatenate([]*Node{dq, dk, dv}, 2))
	}
	dh := p.backLinear(a.Q, dq)
	if pick != nil {
		dh = scatterRows(dh, pick)
	}
	return Add(dh, Add(p.backLinear(a.K, dk), p.backLinear(a.V, dv)))
}

// mergeHeads undoes SplitHeads: [B, heads, n, dh] -> [B, n, heads·dh].
func mergeHeads(x *Node) *Node {
	d := x.Shape().Dimensions
	return Reshape(TransposeAllAxes(x, 0, 2, 1, 3), d[0], d[2], d[1]*d[3])
}
