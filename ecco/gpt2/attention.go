package gpt2

import (
	"math"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
)

// kv is one layer's attention cache: keys and values, each [B, H, S, dh].
type kv struct{ k, v *Node }

// maskValue is what masked attention scores become, as in transformers (float32's lowest value).
const maskValue = -math.MaxFloat32

// attention is GPT-2's causal self-attention for the new positions x [B, T, D], attending to the
// cached positions in past (S of them, or none) and to themselves. It returns [B, T, D] and the
// cache extended by the new keys and values. record, when set, receives the probabilities.
func (m *Model) attention(p params, layer string, x *Node, past *kv, record func(*Node)) (*Node, kv) {
	q, k, v := m.qkv(p, layer, x)
	q, k, v = m.splitHeads(q), m.splitHeads(k), m.splitHeads(v)
	s := 0
	if past != nil {
		s = past.k.Shape().Dimensions[2]
		k = Concatenate([]*Node{past.k, k}, 2)
		v = Concatenate([]*Node{past.v, v}, 2)
	}
	t := x.Shape().Dimensions[1]
	queryPos := AddScalar(Iota(x.Graph(), shapes.Make(dtypes.Int32, t), 0), s)
	out, probs := m.attendProbs(p, layer, q, k, v, queryPos)
	if record != nil {
		record(probs)
	}
	return out, kv{k, v}
}

// qkv applies the fused c_attn to x [B, n, D] and returns the query, key and value
// projections, each [B, n, D]: one product of width 3D instead of three of width D.
func (m *Model) qkv(p params, layer string, x *Node) (q, k, v *Node) {
	y := p.linear(layer+"attn.c_attn.", x)
	d := m.Config.NEmbd
	part := func(i int) *Node { return Slice(y, AxisRange(), AxisRange(), AxisRange(i*d, (i+1)*d)) }
	return part(0), part(1), part(2)
}

// splitHeads turns [B, n, D] into [B, H, n, dh].
func (m *Model) splitHeads(y *Node) *Node {
	b, n := y.Shape().Dimensions[0], y.Shape().Dimensions[1]
	return TransposeAllAxes(Reshape(y, b, n, m.Config.NHead, m.Config.HeadDim()), 0, 2, 1, 3)
}

// attend lets queries q [B, H, n, dh], at absolute positions queryPos [n] (int32), attend
// causally to keys and values [B, H, S, dh] at positions 0..S-1, and applies c_proj: [B, n, D].
func (m *Model) attend(p params, layer string, q, keys, values, queryPos *Node) *Node {
	out, _ := m.attendProbs(p, layer, q, keys, values, queryPos)
	return out
}

// attendProbs is attend that also returns the attention probabilities [B, H, n, S].
func (m *Model) attendProbs(p params, layer string, q, keys, values, queryPos *Node) (out, probs *Node) {
	cfg, g := m.Config, q.Graph()
	b, n, s := q.Shape().Dimensions[0], q.Shape().Dimensions[2], keys.Shape().Dimensions[2]
	scores := MulScalar(DotGeneral(q, []int{3}, []int{0, 1}, keys, []int{3}, []int{0, 1}), 1/math.Sqrt(float64(cfg.HeadDim()))) // [B, H, n, S]
	keyPos := Iota(g, shapes.Make(dtypes.Int32, n, s), 1)
	allowed := LessOrEqual(keyPos, BroadcastToDims(InsertAxes(queryPos, 1), n, s))
	scores = Where(BroadcastToDims(Reshape(allowed, 1, 1, n, s), b, cfg.NHead, n, s), scores, FillScalar(g, scores.Shape(), maskValue))
	probs = Softmax(scores, 3)
	out = DotGeneral(probs, []int{3}, []int{0, 1}, values, []int{2}, []int{0, 1}) // [B, H, n, dh]
	return p.linear(layer+"attn.c_proj.", Reshape(TransposeAllAxes(out, 0, 2, 1, 3), b, n, cfg.NEmbd)), probs
}
