package decoder

import (
	"slices"

	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
)

// The forward pass of an attribution, with what the hand-written backward pass (backward.go)
// reads saved in a tape. It computes the values forward does, but the last block only at the
// target rows: below it every position feeds the targets through attention, while in the last
// block the other rows give only keys and values. B is the batch of embedding sequences, T the
// positions, k the target rows, n the query rows of a block (T, or k in the last block).

// normTape is what a norm's backward pass reads.
type normTape struct {
	norm   Norm
	normed *Node // [B, n, D]: the rows normalised, before the weight
	rstd   *Node // [B, n, 1]: 1/σ (LayerNorm) or 1/rms (RMSNorm)
}

// blockTape is one block's saved activations.
type blockTape struct {
	layer             int
	attnNorm, ffnNorm normTape // attnNorm over all T rows (keys and values read them), ffnNorm over the query rows
	q                 *Node    // [B, H, n, dh]: queries, after any rotary embedding
	keys, values      *Node    // [B, KV, T, dh]: keys after any rotary embedding
	probs             *Node    // [B, H, n, T]: attention weights, zero where masked
	qCos, qSin        *Node    // [1, 1, n, dh]: the queries' rotary embedding (nil: none)
	kCos, kSin        *Node    // [1, 1, T, dh]: the keys'
	slope             *Node    // [B, n, N]: ∂neurons/∂(Up's output), or ∂neurons/∂(Gate's output) when gated; edits' keep included
	upSlope           *Node    // [B, n, N], gated only: ∂neurons/∂(Up's output) = act(gate)·keep
	// Optional pieces (Gemma's): zero values when the layer has none.
	qNorm, kNorm      normTape // over each head's queries [B, H, n, dh] and keys [B, KV, T, dh]
	capSlope          *Node    // [B, H, n, T]: the soft cap's slope at the scaled scores
	postAttn, postFFN normTape // [B, n, D]: the sublayers' outputs
}

// tape is the forward pass of targetGradients.
type tape struct {
	blocks []blockTape // the last one has n = k query rows
	final  normTape    // [B, k, D]
	out    *Node       // [B, k, D]: the final norm of the target rows
	pick   *Node       // [k, T]: one-hot target positions
	rot    *rotaryMemo // the rotary tables every block shares
}

// editRows are neuron edits as graph inputs: n' = n·keep + add in the edited layers.
type editRows struct {
	layers    []int // ascending (family.EditedLayers)
	keep, add *Node // [E, T, N]
}

// at returns layer's keep and add [1, n, N] at the query rows (pick [n, T], nil for all T), or
// nils when the layer is not edited.
func (e *editRows) at(layer int, pick *Node) (keep, add *Node) {
	if e == nil {
		return nil, nil
	}
	i := slices.Index(e.layers, layer)
	if i < 0 {
		return nil, nil
	}
	keep, add = Slice(e.keep, AxisElem(i)), Slice(e.add, AxisElem(i))
	if pick != nil {
		keep, add = selectRows(pick, keep), selectRows(pick, add)
	}
	return keep, add
}

// tapedFinal runs the blocks over embeds [B, T, D] at positions [T] (0..T-1) with edits (nil:
// none) and returns the tape; the last block runs at the target positions pickPos [k] (int32).
func (a *Arch) tapedFinal(p Params, embeds, positions, pickPos *Node, edits *editRows) *tape {
	t := embeds.Shape().Dimensions[1]
	tp := &tape{pick: OneHot(pickPos, t, embeds.DType()), rot: newRotaryMemo()}
	x := a.input(p, embeds, positions)
	last := len(a.Layers) - 1
	for i := range last {
		var bt blockTape
		x, bt = a.tapedBlock(p, i, x, nil, positions, positions, edits, tp.rot)
		tp.blocks = append(tp.blocks, bt)
	}
	rows, bt := a.tapedBlock(p, last, x, tp.pick, pickPos, positions, edits, tp.rot)
	tp.blocks = append(tp.blocks, bt)
	tp.out, tp.final = tapedNorm(p, a.Final, rows)
	return tp
}

// tapedBlock runs block i over x [B, T, D] for the query rows picked by pick [n, T] (nil: all
// T) at positions queryPos [n]; keyPos [T] are x's positions; rot holds the graph's rotary
// tables. It returns the block's output at the query rows, [B, n, D].
func (a *Arch) tapedBlock(p Params, i int, x, pick, queryPos, keyPos *Node, edits *editRows, rot *rotaryMemo) (*Node, blockTape) {
	l := a.Layers[i]
	at := l.Attention
	bt := blockTape{layer: i}
	h, nt := tapedNorm(p, l.AttnNorm, x)
	bt.attnNorm = nt
	q, k, v := at.projectRows(p, h, pick)
	if at.QNorm != nil {
		q, bt.qNorm = tapedNorm(p, *at.QNorm, q)
		k, bt.kNorm = tapedNorm(p, *at.KNorm, k)
	}
	if at.Rotary != nil {
		bt.qCos, bt.qSin = rot.table(queryPos, at.Rotary, q.DType())
		bt.kCos, bt.kSin = rot.table(keyPos, at.Rotary, k.DType())
		q, k = rot.rotate(q, bt.qCos, bt.qSin, false), rot.rotate(k, bt.kCos, bt.kSin, false)
	}
	bt.q, bt.keys, bt.values = q, k, v
	core := Attention{Scale: at.Scale, Window: at.Window, SoftCap: at.SoftCap,
		Record: func(probs *Node) { bt.probs = probs }, RecordCapSlope: func(slope *Node) { bt.capSlope = slope }}
	attended := p.Linear(at.Out, core.Attend(q, k, v, queryPos))
	if l.PostAttnNorm != nil {
		attended, bt.postAttn = tapedNorm(p, *l.PostAttnNorm, attended)
	}
	rows := x
	if pick != nil {
		rows = selectRows(pick, x)
	}
	ffnIn := Add(rows, attended)
	if l.Parallel {
		ffnIn = rows
	}
	rows = Add(rows, attended)
	h, bt.ffnNorm = tapedNorm(p, l.FFNNorm, ffnIn)
	f, act := l.FFN, activations[l.FFN.Act]
	var neurons *Node
	if f.Gate == "" {
		pre := p.Linear(f.Up, h)
		neurons, bt.slope = act.f(pre), act.slope(pre)
	} else {
		gate, up := p.Linear(f.Gate, h), p.Linear(f.Up, h)
		activated := act.f(gate)
		neurons, bt.slope, bt.upSlope = Mul(activated, up), Mul(act.slope(gate), up), activated
	}
	if keep, add := edits.at(i, pick); keep != nil {
		dims := neurons.Shape().Dimensions
		keep, add = BroadcastToDims(keep, dims...), BroadcastToDims(add, dims...)
		neurons, bt.slope = Add(Mul(neurons, keep), add), Mul(bt.slope, keep)
		if bt.upSlope != nil {
			bt.upSlope = Mul(bt.upSlope, keep)
		}
	}
	out := p.Linear(f.Down, neurons)
	if l.PostFFNNorm != nil {
		out, bt.postFFN = tapedNorm(p, *l.PostFFNNorm, out)
	}
	return Add(rows, out), bt
}

// projectRows is Project with the queries only at the rows pick [n, T] picks (nil: all).
func (a SelfAttention) projectRows(p Params, h, pick *Node) (q, k, v *Node) {
	if pick == nil {
		return a.Project(p, h)
	}
	if a.Fused == "" {
		return SplitHeads(p.Linear(a.Q, selectRows(pick, h)), a.Heads), SplitHeads(p.Linear(a.K, h), a.KVHeads), SplitHeads(p.Linear(a.V, h), a.KVHeads)
	}
	y := p.Linear(a.Fused, h)
	qw, kvw := a.Heads*a.HeadDim, a.KVHeads*a.HeadDim
	part := func(from, width int) *Node { return sliceAxis(y, 2, from, from+width) }
	return SplitHeads(selectRows(pick, part(0, qw)), a.Heads), SplitHeads(part(qw, kvw), a.KVHeads), SplitHeads(part(qw+kvw, kvw), a.KVHeads)
}

// tapedNorm is Norm.Apply that also returns its tape.
func tapedNorm(p Params, n Norm, x *Node) (*Node, normTape) {
	normed, std := normalize(n, x)
	return n.affine(p, normed), normTape{norm: n, normed: normed, rstd: ConvertDType(Reciprocal(std), x.DType())}
}

// selectRows returns the rows of x [B, T, W] picked by pick [k, T]: [B, k, W], as a product
// (the gradient of Slice needs Pad, which the pure-Go backend lacks).
func selectRows(pick, x *Node) *Node {
	b := x.Shape().Dimensions[0]
	k, t := pick.Shape().Dimensions[0], pick.Shape().Dimensions[1]
	return DotGeneral(BroadcastToDims(InsertAxes(pick, 0), b, k, t), []int{2}, []int{0}, x, []int{1}, []int{0})
}
