package gpt2

import (
	"math"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/pkg/core/shapes"
)

// kv is one layer's attention cache: keys and values, each [B, H, S, dh].
type kv struct{ k, v *Node }

// maskValue is what masked attention scores become, as in transformers (float32's lowest value).
const maskValue = -math.MaxFloat32

// attention is GPT-2's causal self-attention for the new positions x [B, T, D], attending to the
// cached positions in past (S of them, or none) and to themselves. It returns [B, T, D] and the
// cache extended by the new keys and values.
func (m *Model) attention(p params, layer string, x *Node, past *kv) (*Node, kv) {
	cfg := m.Config
	b, t := x.Shape().Dimensions[0], x.Shape().Dimensions[1]
	heads := func(name string) *Node { // [B, T, D] -> [B, H, T, dh]
		y := p.linear(layer+"attn.c_attn."+name+".", x)
		return TransposeAllAxes(Reshape(y, b, t, cfg.NHead, cfg.HeadDim()), 0, 2, 1, 3)
	}
	q, k, v := heads("q"), heads("k"), heads("v")
	s := 0
	if past != nil {
		s = past.k.Shape().Dimensions[2]
		k = Concatenate([]*Node{past.k, k}, 2)
		v = Concatenate([]*Node{past.v, v}, 2)
	}
	// scores [B, H, T, S+T]
	scores := MulScalar(dot(q, []int{3}, []int{0, 1}, k, []int{3}, []int{0, 1}, false), 1/math.Sqrt(float64(cfg.HeadDim())))
	scores = Where(causalMask(x.Graph(), b, cfg.NHead, t, s), scores, FillScalar(x.Graph(), scores.Shape(), maskValue))
	probs := Softmax(scores, 3)
	// out [B, H, T, dh] -> [B, T, D]
	out := dot(probs, []int{3}, []int{0, 1}, v, []int{2}, []int{0, 1}, false)
	out = Reshape(TransposeAllAxes(out, 0, 2, 1, 3), b, t, cfg.NEmbd)
	return p.linear(layer+"attn.c_proj.", out), kv{k, v}
}

// causalMask is true where new position i (absolute s+i) may attend to key j: j <= s+i.
// Shape [B, H, T, S+T].
func causalMask(g *Graph, b, h, t, s int) *Node {
	shape := shapes.Make(dtypes.Int32, t, s+t)
	query := AddScalar(Iota(g, shape, 0), s)
	key := Iota(g, shape, 1)
	return BroadcastToDims(Reshape(LessOrEqual(key, query), 1, 1, t, s+t), b, h, t, s+t)
}
