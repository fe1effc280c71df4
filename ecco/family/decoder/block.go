package decoder

import (
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
)

// Apply normalises x [..., D] as n says.
func (n Norm) Apply(p Params, x *Node) *Node {
	normed, _ := normalize(n, x)
	return n.affine(p, normed)
}

// ApplyOptional applies n when it is set and returns x unchanged otherwise.
func (n *Norm) ApplyOptional(p Params, x *Node) *Node {
	if n == nil {
		return x
	}
	return n.Apply(p, x)
}

// Project returns the queries [B, H, n, dh], keys and values [B, KV, n, dh] of h [B, n, D],
// before any rotary embedding.
func (a SelfAttention) Project(p Params, h *Node) (q, k, v *Node) {
	if a.Fused == "" {
		return SplitHeads(p.Linear(a.Q, h), a.Heads), SplitHeads(p.Linear(a.K, h), a.KVHeads), SplitHeads(p.Linear(a.V, h), a.KVHeads)
	}
	y := p.Linear(a.Fused, h)
	qw, kvw := a.Heads*a.HeadDim, a.KVHeads*a.HeadDim
	part := func(from, width, heads int) *Node {
		return SplitHeads(Slice(y, AxisRange(), AxisRange(), AxisRange(from, from+width)), heads)
	}
	return part(0, qw, a.Heads), part(qw, kvw, a.KVHeads), part(qw+kvw, kvw, a.KVHeads)
}

// Neurons are the FFN neurons of h [B, n, D]: the input of Down, [B, n, N].
func (f FeedForward) Neurons(p Params, h *Node) *Node {
	if f.Gate == "" {
		return activate(f.Act, p.Linear(f.Up, h))
	}
	return Mul(activate(f.Act, p.Linear(f.Gate, h)), p.Linear(f.Up, h))
}

// input turns token embeddings [B, T, D] at absolute positions [T] (int32) into block 0's input,
// which is also hidden_states[0].
func (a *Arch) input(p Params, embeds, positions *Node) *Node {
	if a.EmbedScale != 0 {
		embeds = MulScalar(embeds, a.EmbedScale)
	}
	if a.Positions == "" {
		return embeds
	}
	t, d := positions.Shape().Dimensions[0], embeds.Shape().Dimensions[2]
	return Add(embeds, Reshape(Gather(p.Get(a.Positions), InsertAxes(positions, -1)), 1, t, d))
}

// embed gathers token-embedding rows: ids [B, T] (int32) -> [B, T, D].
func (a *Arch) embed(p Params, ids *Node) *Node {
	return Gather(p.Get(a.Embedding), InsertAxes(ids, -1))
}

// block runs layer i over x [B, T, D] at positions [T] after the cache past (nil for none): the
// new residual stream, the FFN neurons [B, T, N] (after tap's edits) and the cache extended by T
// positions. The attention probabilities go to tap.Recorder(i); tap zeroes value rows (Values).
func (a *Arch) block(p Params, i int, x, positions *Node, past *KV, tap *Tap) (out, neurons *Node, present KV) {
	l := a.Layers[i]
	at := l.Attention
	q, k, v := at.Project(p, l.AttnNorm.Apply(p, x))
	v = tap.Values(i, v)
	if at.QNorm != nil {
		q, k = at.QNorm.Apply(p, q), at.KNorm.Apply(p, k)
	}
	if at.Rotary != nil {
		cos, sin := rotary(positions, at.Rotary, q.DType())
		q, k = rotate(q, cos, sin), rotate(k, cos, sin)
	}
	if past != nil && past.Slots {
		present = past.Write(k, v, positions)
	} else {
		present = Extend(past, k, v)
	}
	core := Attention{Scale: at.Scale, Window: at.Window, SoftCap: at.SoftCap, Record: tap.Recorder(i)}
	attended := l.PostAttnNorm.ApplyOptional(p, p.Linear(at.Out, core.Attend(q, present.K, present.V, positions)))
	ffnIn := Add(x, attended)
	if l.Parallel {
		ffnIn = x
	}
	neurons = tap.Neurons(i, l.FFN.Neurons(p, l.FFNNorm.Apply(p, ffnIn)))
	return Add(Add(x, attended), l.PostFFNNorm.ApplyOptional(p, p.Linear(l.FFN.Down, neurons))), neurons, present
}
