package gpt2

import (
	"fmt"
	"math"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
)

// The forward pass of an attribution, with what the hand-written backward pass (backward.go)
// reads saved in a tape. It computes the same values as finalAt; B is the batch of embedding
// sequences, T the positions, k the target rows, n the query rows of a block (T, or k in the
// last block), H heads of width dh, N FFN neurons.

// normTape is what a layer norm's backward pass needs.
type normTape struct {
	prefix string // "h.0.ln_1.": the weight is prefix+"weight"
	normed *Node  // [B, n, D]: (x − mean)/σ
	rstd   *Node  // [B, n, 1]: 1/σ
}

// blockTape is one transformer block's saved activations.
type blockTape struct {
	layer    string // "h.0."
	ln1, ln2 normTape
	q        *Node // [B, H, n, dh]: queries (scaled by nothing)
	keys     *Node // [B, H, T, dh]
	values   *Node // [B, H, T, dh]
	probs    *Node // [B, H, n, T]: attention weights, zero where masked
	slope    *Node // [B, n, N]: the activation's derivative at the FFN's pre-activations
}

// tape is the forward pass of targetGradients.
type tape struct {
	blocks []blockTape // the last one has n = k query rows
	lnf    normTape    // [B, k, D]
	final  *Node       // [B, k, D]: ln_f of the target rows
	pick   *Node       // [k, T]: one-hot target positions
}

// tapedFinal is finalAt with a tape: embeds [B, T, D], positions [T], pickPos [k] (int32).
func (m *Model) tapedFinal(p params, embeds, positions, pickPos *Node) *tape {
	cfg := m.Config
	t := embeds.Shape().Dimensions[1]
	tp := &tape{pick: OneHot(pickPos, t, embeds.DType())}
	x := m.addPositions(p, embeds, positions)
	queryPos := Iota(embeds.Graph(), shapes.Make(dtypes.Int32, t), 0)
	for i := range cfg.NLayer - 1 {
		var bt blockTape
		x, bt = m.tapedBlock(p, i, x, x, nil, queryPos)
		tp.blocks = append(tp.blocks, bt)
	}
	rows, last := m.tapedBlock(p, cfg.NLayer-1, x, selectRows(tp.pick, x), tp.pick, pickPos)
	tp.blocks = append(tp.blocks, last)
	tp.final, tp.lnf = tapedNorm(p, "ln_f.", rows, cfg.LayerNormEpsilon)
	return tp
}

// tapedBlock runs block i for the query rows of x [B, T, D]: rows [B, n, D] are x's rows at
// queryPos [n], picked by pick [n, T] (nil when they are all of x's rows).
func (m *Model) tapedBlock(p params, i int, x, rows, pick, queryPos *Node) (*Node, blockTape) {
	cfg := m.Config
	eps := cfg.LayerNormEpsilon
	bt := blockTape{layer: fmt.Sprintf("h.%d.", i)}
	h, ln1 := tapedNorm(p, bt.layer+"ln_1.", x, eps)
	q, keys, values := m.qkv(p, bt.layer, h)
	if pick != nil {
		q = selectRows(pick, q)
	}
	bt.ln1, bt.q, bt.keys, bt.values = ln1, m.splitHeads(q), m.splitHeads(keys), m.splitHeads(values)
	bt.probs = m.attentionProbs(bt.q, bt.keys, queryPos)
	out := DotGeneral(bt.probs, []int{3}, []int{0, 1}, bt.values, []int{2}, []int{0, 1}) // [B, H, n, dh]
	b, n := rows.Shape().Dimensions[0], rows.Shape().Dimensions[1]
	rows = Add(rows, p.linear(bt.layer+"attn.c_proj.", Reshape(TransposeAllAxes(out, 0, 2, 1, 3), b, n, cfg.NEmbd)))
	h, bt.ln2 = tapedNorm(p, bt.layer+"ln_2.", rows, eps)
	pre := p.linear(bt.layer+"mlp.c_fc.", h)
	bt.slope = activationSlopes[cfg.Activation](pre)
	return Add(rows, p.linear(bt.layer+"mlp.c_proj.", activations[cfg.Activation](pre))), bt
}

// attentionProbs is the causal softmax of queries q [B, H, n, dh] at positions queryPos [n]
// (int32) against keys [B, H, S, dh] at 0..S-1: [B, H, n, S]. attend computes the same weights.
func (m *Model) attentionProbs(q, keys, queryPos *Node) *Node {
	g := q.Graph()
	b, h, n, s := q.Shape().Dimensions[0], q.Shape().Dimensions[1], q.Shape().Dimensions[2], keys.Shape().Dimensions[2]
	scores := MulScalar(DotGeneral(q, []int{3}, []int{0, 1}, keys, []int{3}, []int{0, 1}), 1/math.Sqrt(float64(m.Config.HeadDim())))
	allowed := LessOrEqual(Iota(g, shapes.Make(dtypes.Int32, n, s), 1), BroadcastToDims(InsertAxes(queryPos, 1), n, s))
	scores = Where(BroadcastToDims(Reshape(allowed, 1, 1, n, s), b, h, n, s), scores, FillScalar(g, scores.Shape(), maskValue))
	return Softmax(scores, 3)
}

// tapedNorm is params.layerNorm (float64 statistics, the same values) that also returns its tape.
func tapedNorm(p params, prefix string, x *Node, eps float64) (*Node, normTape) {
	last := x.Rank() - 1
	x64 := ConvertDType(x, dtypes.Float64)
	centred := Sub(x64, ReduceAndKeep(x64, ReduceMean, last))
	std := Sqrt(AddScalar(ReduceAndKeep(Mul(centred, centred), ReduceMean, last), eps))
	normed := ConvertDType(Div(centred, std), x.DType())
	y := Add(Mul(normed, p.vec(prefix+"weight", x)), p.vec(prefix+"bias", x))
	return y, normTape{prefix: prefix, normed: normed, rstd: ConvertDType(Reciprocal(std), x.DType())}
}

// cut returns the tape of the prefix of n positions, for the targets from..to-1 alone: by the
// causal mask a prefix's forward pass is the prefix of the whole one, so targets that end early
// get a backward pass over their own prefix instead of all T positions.
func (tp *tape) cut(n, from, to int) *tape {
	k, t := tp.pick.Shape().Dimensions[0], tp.pick.Shape().Dimensions[1]
	if n == t && from == 0 && to == k {
		return tp
	}
	rows := func(x *Node, axes ...int) *Node { // the first n positions along axes
		for _, a := range axes {
			x = sliceAxis(x, a, 0, n)
		}
		return x
	}
	targets := func(x *Node, axis int) *Node { return sliceAxis(x, axis, from, to) }
	norm := func(nt normTape, cut func(*Node, int) *Node) normTape {
		return normTape{prefix: nt.prefix, normed: cut(nt.normed, 1), rstd: cut(nt.rstd, 1)}
	}
	cutRows := func(x *Node, axis int) *Node { return rows(x, axis) }
	out := &tape{pick: rows(targets(tp.pick, 0), 1), lnf: norm(tp.lnf, targets)}
	last := len(tp.blocks) - 1
	for i, bt := range tp.blocks {
		c := blockTape{layer: bt.layer, ln1: norm(bt.ln1, cutRows), keys: rows(bt.keys, 2), values: rows(bt.values, 2)}
		if i < last {
			c.ln2, c.q, c.probs, c.slope = norm(bt.ln2, cutRows), rows(bt.q, 2), rows(bt.probs, 2, 3), rows(bt.slope, 1)
		} else { // query rows are the targets'
			c.ln2, c.q, c.probs, c.slope = norm(bt.ln2, targets), targets(bt.q, 2), rows(targets(bt.probs, 2), 3), targets(bt.slope, 1)
		}
		out.blocks = append(out.blocks, c)
	}
	return out
}

// firstRows returns the tape of the first n sequences of the batch.
func (tp *tape) firstRows(n int) *tape {
	rows := func(x *Node) *Node { return sliceAxis(x, 0, 0, n) }
	norm := func(nt normTape) normTape {
		return normTape{prefix: nt.prefix, normed: rows(nt.normed), rstd: rows(nt.rstd)}
	}
	out := &tape{pick: tp.pick, lnf: norm(tp.lnf), final: rows(tp.final)}
	for _, bt := range tp.blocks {
		out.blocks = append(out.blocks, blockTape{layer: bt.layer, ln1: norm(bt.ln1), ln2: norm(bt.ln2),
			q: rows(bt.q), keys: rows(bt.keys), values: rows(bt.values), probs: rows(bt.probs), slope: rows(bt.slope)})
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
