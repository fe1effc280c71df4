package seq2seq

import (
	"math"

	"github.com/ecco-go/ecco/ecco/family/decoder"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
)

// pass is one run of a stack.
type pass struct {
	final   *Node   // [B, T, D], after the final norm
	hidden  []*Node // L+1 of [B, T, D]: HuggingFace's hidden_states
	ffn     []*Node // L of [B, T, N]
	probs   []*Node // L of [B, H, T, S]: self-attention probabilities, when recorded
	present []decoder.KV
}

// run is what a stack pass reads beside its input embeddings.
type run struct {
	positions *Node        // [T] int32: absolute positions of the new tokens
	buckets   *Node        // [T, S] int32: relative-position buckets (Relative stacks only)
	past      []decoder.KV // per layer, the cached self-attention keys and values (nil: none)
	cross     []decoder.KV // per layer, the encoder's projected keys and values (decoder only)
	causal    bool         // queries see keys up to their own position only
	record    bool         // keep the self-attention probabilities
}

// embed gathers token-embedding rows: ids [B, T] (int32) -> [B, T, D].
func (a *Arch) embed(p decoder.Params, ids *Node) *Node {
	return Gather(p.Get(a.Embedding), InsertAxes(ids, -1))
}

// input turns token embeddings [B, T, D] into block 0's input (hidden_states[0]): scaled,
// plus absolute positions, then the embedding norm, as the stack says.
func (a *Arch) input(p decoder.Params, s *Side, embeds *Node, r run) *Node {
	x := embeds
	if a.EmbedScale != 0 {
		x = MulScalar(x, a.EmbedScale)
	}
	if s.Positions.Kind != Relative {
		pos := r.positions
		if s.Positions.Offset != 0 {
			pos = AddScalar(pos, float64(s.Positions.Offset))
		}
		t, d := pos.Shape().Dimensions[0], x.Shape().Dimensions[2]
		x = Add(x, Reshape(Gather(p.Get(s.Positions.Table), InsertAxes(pos, -1)), 1, t, d))
	}
	return s.EmbedNorm.ApplyOptional(p, x)
}

// forward runs stack s over token embeddings [B, T, D].
func (a *Arch) forward(p decoder.Params, s *Side, embeds *Node, r run) pass {
	x := a.input(p, s, embeds, r)
	res := pass{hidden: []*Node{x}}
	var bias *Node
	if s.Positions.Kind == Relative {
		bias = relativeBias(p.Get(s.Positions.Table), r.buckets)
	}
	for i, l := range s.Layers {
		var past *decoder.KV
		if r.past != nil {
			past = &r.past[i]
		}
		var present decoder.KV
		var probs *Node
		x = s.sublayer(p, l.SelfNorm, x, func(h *Node) *Node {
			q, k, v := project(p, l.Self, h, h)
			present = decoder.Extend(past, k, v)
			var out *Node
			out, probs = l.Self.attend(q, present.K, present.V, bias, r.positions, r.causal)
			return p.Linear(l.Self.Out, out)
		})
		if l.Cross != nil {
			x = s.sublayer(p, l.CrossNorm, x, func(h *Node) *Node {
				q := decoder.SplitHeads(p.Linear(l.Cross.Q, h), l.Cross.Heads)
				out, _ := l.Cross.attend(q, r.cross[i].K, r.cross[i].V, nil, nil, false)
				return p.Linear(l.Cross.Out, out)
			})
		}
		var neurons *Node
		x = s.sublayer(p, l.FFNNorm, x, func(h *Node) *Node {
			neurons = l.FFN.Neurons(p, h)
			return p.Linear(l.FFN.Down, neurons)
		})
		res.present, res.ffn = append(res.present, present), append(res.ffn, neurons)
		if r.record {
			res.probs = append(res.probs, probs)
		}
		if i < len(s.Layers)-1 {
			res.hidden = append(res.hidden, x)
		}
	}
	res.final = s.Final.ApplyOptional(p, x)
	res.hidden = append(res.hidden, res.final)
	return res
}

// sublayer adds f to the residual stream x, normalising f's input (pre-LN) or the sum (post-LN).
func (s *Side) sublayer(p decoder.Params, norm decoder.Norm, x *Node, f func(*Node) *Node) *Node {
	if s.PreLN {
		return Add(x, f(norm.Apply(p, x)))
	}
	return norm.Apply(p, Add(x, f(x)))
}

// project returns the queries of h [B, T, D] and the keys and values of src [B, S, D], each
// [B, H, ·, dh].
func project(p decoder.Params, a Attention, h, src *Node) (q, k, v *Node) {
	return decoder.SplitHeads(p.Linear(a.Q, h), a.Heads), decoder.SplitHeads(p.Linear(a.K, src), a.Heads), decoder.SplitHeads(p.Linear(a.V, src), a.Heads)
}

// crossKV projects the encoder's output [B, n, D] to each decoder layer's cross-attention keys
// and values [B, H, n, dh]: once per source.
func (a *Arch) crossKV(p decoder.Params, encoded *Node) []decoder.KV {
	kv := make([]decoder.KV, len(a.Decoder.Layers))
	for i, l := range a.Decoder.Layers {
		kv[i] = decoder.KV{K: decoder.SplitHeads(p.Linear(l.Cross.K, encoded), l.Cross.Heads), V: decoder.SplitHeads(p.Linear(l.Cross.V, encoded), l.Cross.Heads)}
	}
	return kv
}

// relativeBias reads T5's bias table [buckets, H] at buckets [T, S]: [1, H, T, S].
func relativeBias(table, buckets *Node) *Node {
	t, s, h := buckets.Shape().Dimensions[0], buckets.Shape().Dimensions[1], table.Shape().Dimensions[1]
	rows := Gather(table, InsertAxes(buckets, -1)) // [T, S, H]
	return Reshape(TransposeAllAxes(rows, 2, 0, 1), 1, h, t, s)
}

// attend lets queries q [B, H, T, dh] read keys and values [B, H, S, dh]: scores scaled, plus
// bias [1, H, T, S] (nil: none), masked causally by the queries' positions [T] when causal.
// It returns the heads concatenated, [B, T, H·dh], and the probabilities [B, H, T, S].
func (a Attention) attend(q, keys, values, bias, positions *Node, causal bool) (out, probs *Node) {
	b, h, t, dh := q.Shape().Dimensions[0], q.Shape().Dimensions[1], q.Shape().Dimensions[2], q.Shape().Dimensions[3]
	s := keys.Shape().Dimensions[2]
	scores := DotGeneral(q, []int{3}, []int{0, 1}, keys, []int{3}, []int{0, 1}) // [B, H, T, S]
	if a.Scale != 1 {
		scores = MulScalar(scores, a.Scale)
	}
	if bias != nil {
		scores = Add(scores, BroadcastToDims(bias, b, h, t, s))
	}
	if causal {
		keyPos := Iota(q.Graph(), shapes.Make(dtypes.Int32, t, s), 1)
		allowed := LessOrEqual(keyPos, BroadcastToDims(InsertAxes(positions, 1), t, s))
		allowed = BroadcastToDims(Reshape(allowed, 1, 1, t, s), b, h, t, s)
		scores = Where(allowed, scores, FillScalar(q.Graph(), scores.Shape(), -math.MaxFloat32))
	}
	probs = Softmax(scores, 3)
	out = DotGeneral(probs, []int{3}, []int{0, 1}, values, []int{2}, []int{0, 1}) // [B, H, T, dh]
	return Reshape(TransposeAllAxes(out, 0, 2, 1, 3), b, t, h*dh), probs
}

// logits applies the generating head to final states [..., D]: the head scale, the product
// with the head [V, D] and the logits bias, as the Arch says.
func (a *Arch) logits(p decoder.Params, final *Node) *Node {
	if a.HeadScale != 0 {
		final = MulScalar(final, a.HeadScale)
	}
	logits := a.lens(p, final)
	if a.LogitsBias != "" {
		bias := p.Get(a.LogitsBias)
		v := bias.Shape().Dimensions[1]
		dims := make([]int, logits.Rank())
		for i := range dims {
			dims[i] = 1
		}
		dims[len(dims)-1] = v
		logits = Add(logits, BroadcastToDims(Reshape(bias, dims...), logits.Shape().Dimensions...))
	}
	return logits
}

// lens is the head alone, [..., D] -> [..., V]: what Ecco's rankings read. The head is held
// [V, D] as stored (a family keeps it out of Spec.Linear), with its [D, V] copy when the model
// made one.
func (a *Arch) lens(p decoder.Params, h *Node) *Node {
	if columns, ok := p[decoder.HeadColumns]; ok {
		return decoder.HeadLogits(columns, h)
	}
	return DotGeneral(h, []int{h.Rank() - 1}, nil, p.Get(a.Head), []int{1}, nil)
}
