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
	diag := func(x *Node, axis int) *Node { return diagonal(x, axis, b) }
	diagNorm := func(nt normTape, axis int) normTape {
		return normTape{norm: nt.norm, normed: diag(nt.normed, axis), rstd: diag(nt.rstd, axis)}
	}
	// Target j's own query row: the tape's rows along the diagonal; keys and values for each target.
	rows := blockRows{
		attnNorm: spreadNorm(last.attnNorm, k), ffnNorm: diagNorm(last.ffnNorm, 1),
		postAttn: diagNorm(last.postAttn, 1), postFFN: diagNorm(last.postFFN, 1),
		qNorm: diagNorm(last.qNorm, 2), kNorm: spreadNorm(last.kNorm, k),
		probs: diag(last.probs, 2), capSlope: diag(last.capSlope, 2), q: diag(last.q, 2),
		keys: spread(last.keys, k), values: spread(last.values, k),
		qCos: diag(last.qCos, 2), qSin: diag(last.qSin, 2), kCos: last.kCos, kSin: last.kSin,
		slope: diag(last.slope, 1), upSlope: diag(last.upSlope, 1), rot: tp.rot,
	}
	d := normBackward(p, tp.final.norm, diag(tp.final.normed, 1), diag(tp.final.rstd, 1), diag(seed, 1)) // [k·B, 1, D]
	dx := a.layerBackward(p, last.layer, rows, d, tp.pick)
	for i := len(tp.blocks) - 2; i >= 0; i-- {
		bt := tp.blocks[i]
		dx = a.layerBackward(p, bt.layer, blockRows{
			attnNorm: spreadNorm(bt.attnNorm, k), ffnNorm: spreadNorm(bt.ffnNorm, k),
			postAttn: spreadNorm(bt.postAttn, k), postFFN: spreadNorm(bt.postFFN, k),
			qNorm: spreadNorm(bt.qNorm, k), kNorm: spreadNorm(bt.kNorm, k),
			probs: spread(bt.probs, k), capSlope: spread(bt.capSlope, k), q: spread(bt.q, k),
			keys: spread(bt.keys, k), values: spread(bt.values, k),
			qCos: bt.qCos, qSin: bt.qSin, kCos: bt.kCos, kSin: bt.kSin,
			slope: spread(bt.slope, k), upSlope: spread(bt.upSlope, k), rot: tp.rot,
		}, dx, nil)
	}
	if a.EmbedScale != 0 {
		dx = MulScalar(dx, a.EmbedScale)
	}
	return dx
}

// blockRows is a block's tape aligned with the cotangent's k·B rows (blockTape's fields).
type blockRows struct {
	attnNorm, ffnNorm, postAttn, postFFN, qNorm, kNorm normTape
	probs, capSlope, q, keys, values                   *Node
	qCos, qSin, kCos, kSin                             *Node
	slope, upSlope                                     *Node
	rot                                                *rotaryMemo
}

// layerBackward takes d [k·B, n, D], the cotangent of layer i's output at its query rows, to its
// input's, [k·B, T, D]. In the last block the query rows are the targets' (pick [k, T]), else
// pick is nil and n = T.
func (a *Arch) layerBackward(p Params, i int, r blockRows, d, pick *Node) *Node {
	l := a.Layers[i]
	at := l.Attention
	dOut := d
	if l.PostFFNNorm != nil {
		dOut = normBackward(p, *l.PostFFNNorm, r.postFFN.normed, r.postFFN.rstd, d)
	}
	dh := ffnBackward(p, l.FFN, r.slope, r.upSlope, dOut)
	dAttended := d // a parallel block adds the attention's output to the output alone
	d = Add(d, normBackward(p, l.FFNNorm, r.ffnNorm.normed, r.ffnNorm.rstd, dh))
	if !l.Parallel {
		dAttended = d
	}
	dOut = dAttended
	if l.PostAttnNorm != nil {
		dOut = normBackward(p, *l.PostAttnNorm, r.postAttn.normed, r.postAttn.rstd, dAttended)
	}
	dq, dk, dv := at.backward(p, r.probs, r.capSlope, r.q, r.keys, r.values, dOut)
	if at.Rotary != nil {
		dq, dk = r.rot.rotate(dq, r.qCos, r.qSin, true), r.rot.rotate(dk, r.kCos, r.kSin, true)
	}
	if at.QNorm != nil {
		dq = normBackward(p, *at.QNorm, r.qNorm.normed, r.qNorm.rstd, dq)
		dk = normBackward(p, *at.KNorm, r.kNorm.normed, r.kNorm.rstd, dk)
	}
	dh = at.projectionBackward(p, mergeHeads(dq), mergeHeads(dk), mergeHeads(dv), pick)
	if pick != nil {
		d = scatterRows(d, pick)
	}
	return Add(d, normBackward(p, l.AttnNorm, r.attnNorm.normed, r.attnNorm.rstd, dh))
}

// spreadNorm is spread for a norm's tape.
func spreadNorm(nt normTape, k int) normTape {
	return normTape{norm: nt.norm, normed: spread(nt.normed, k), rstd: spread(nt.rstd, k)}
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
// [k·B, KV, T, dh] are the forward's, capSlope [k·B, H, n, T] the soft cap's slope (nil: no cap).
// A key/value head's cotangent sums its query group's.
func (a SelfAttention) backward(p Params, probs, capSlope, q, keys, values, d *Node) (dq, dk, dv *Node) {
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
	if capSlope != nil {                                                                                            // scores = c·tanh(s/c)
		dScores = Mul(dScores, capSlope)
	}
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
