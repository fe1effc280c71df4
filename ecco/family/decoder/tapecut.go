package decoder

import (
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
)

// cut returns the tape of the prefix of n positions, for the targets from..to-1 alone: by the
// causal mask a prefix's forward pass is the prefix of the whole one, so targets that end early
// get a backward pass over their own prefix instead of all T positions.
func (tp *tape) cut(n, from, to int) *tape {
	k, t := tp.pick.Shape().Dimensions[0], tp.pick.Shape().Dimensions[1]
	if n == t && from == 0 && to == k {
		return tp
	}
	prefix := func(x *Node, axes ...int) *Node { // the first n positions along axes
		if x == nil {
			return nil
		}
		for _, a := range axes {
			x = sliceAxis(x, a, 0, n)
		}
		return x
	}
	targets := func(x *Node, axis int) *Node {
		if x == nil {
			return nil
		}
		return sliceAxis(x, axis, from, to)
	}
	norm := func(nt normTape, cut func(*Node, ...int) *Node, axis ...int) normTape {
		if len(axis) == 0 {
			axis = []int{1}
		}
		return normTape{norm: nt.norm, normed: cut(nt.normed, axis...), rstd: cut(nt.rstd, axis...)}
	}
	targetRows := func(x *Node, axes ...int) *Node { return targets(x, axes[0]) }
	// The blocks share their rotary tables (the last block's queries have their own): cut each
	// once, so that the backward pass spreads each once (rotaryMemo).
	tables := map[*Node]*Node{}
	table := func(x *Node, cut func(*Node, ...int) *Node, axis int) *Node {
		if y, ok := tables[x]; ok {
			return y
		}
		y := cut(x, axis)
		tables[x] = y
		return y
	}
	out := &tape{pick: prefix(targets(tp.pick, 0), 1), final: norm(tp.final, targetRows), rot: tp.rot}
	last := len(tp.blocks) - 1
	for i, bt := range tp.blocks {
		c := bt
		c.attnNorm, c.keys, c.values = norm(bt.attnNorm, prefix), prefix(bt.keys, 2), prefix(bt.values, 2)
		c.kCos, c.kSin = table(bt.kCos, prefix, 2), table(bt.kSin, prefix, 2)
		query := prefix // the query rows: a prefix, or in the last block the targets'
		if i == last {
			query = targetRows
		}
		c.ffnNorm, c.q, c.probs = norm(bt.ffnNorm, query), query(bt.q, 2), prefix(query(bt.probs, 2), 3)
		c.qCos, c.qSin = table(bt.qCos, query, 2), table(bt.qSin, query, 2)
		c.slope, c.upSlope = query(bt.slope, 1), query(bt.upSlope, 1)
		c.qNorm, c.kNorm, c.capSlope = norm(bt.qNorm, query, 2), norm(bt.kNorm, prefix, 2), prefix(query(bt.capSlope, 2), 3)
		c.postAttn, c.postFFN = norm(bt.postAttn, query), norm(bt.postFFN, query)
		out.blocks = append(out.blocks, c)
	}
	return out
}

// firstRows returns the tape of the first n sequences of the batch.
func (tp *tape) firstRows(n int) *tape {
	rows := func(x *Node) *Node {
		if x == nil || x.Shape().Dimensions[0] == 1 { // rotary tables are shared by the batch
			return x
		}
		return sliceAxis(x, 0, 0, n)
	}
	norm := func(nt normTape) normTape {
		return normTape{norm: nt.norm, normed: rows(nt.normed), rstd: rows(nt.rstd)}
	}
	out := &tape{pick: tp.pick, final: norm(tp.final), out: rows(tp.out), rot: tp.rot}
	for _, bt := range tp.blocks {
		c := bt
		c.attnNorm, c.ffnNorm = norm(bt.attnNorm), norm(bt.ffnNorm)
		c.q, c.keys, c.values, c.probs = rows(bt.q), rows(bt.keys), rows(bt.values), rows(bt.probs)
		c.slope, c.upSlope = rows(bt.slope), rows(bt.upSlope)
		c.qNorm, c.kNorm, c.capSlope = norm(bt.qNorm), norm(bt.kNorm), rows(bt.capSlope)
		c.postAttn, c.postFFN = norm(bt.postAttn), norm(bt.postFFN)
		out.blocks = append(out.blocks, c)
	}
	return out
}

// sliceAxis is x[..., from:to, ...] along axis.
func sliceAxis(x *Node, axis, from, to int) *Node {
	if from == 0 && to == x.Shape().Dimensions[axis] {
		return x
	}
	specs := make([]SliceAxisSpec, x.Rank())
	for i := range specs {
		specs[i] = AxisRange()
	}
	specs[axis] = AxisRange(from, to)
	return Slice(x, specs...)
}
