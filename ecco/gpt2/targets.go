package gpt2

import (
	"fmt"
	"math"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/pkg/core/shapes"
)

// finalAt runs the transformer over embeds [B, T, D] but computes the last block only where it
// is read: at the k target rows picked by pick [k, T] (one-hot, float32), whose absolute
// positions are pickPos [k] (int32). It returns ln_f of those rows, [B, k, D].
//
// Why: an attribution reads the LM head at a few positions. Below the last block every position
// feeds the targets through attention, but in the last block only the targets' own rows matter
// (other rows give only keys and values), so its queries, attention output and MLP run on k rows
// instead of T, in the forward pass and in every backward pass.
func (m *Model) finalAt(p params, embeds, positions, pick, pickPos *Node) *Node {
	cfg := m.Config
	x := m.addPositions(p, embeds, positions)
	for i := range cfg.NLayer - 1 {
		x, _, _ = m.block(p, i, x, nil)
	}
	eps, layer := cfg.LayerNormEpsilon, fmt.Sprintf("h.%d.", cfg.NLayer-1)
	h := p.layerNorm(layer+"ln_1.", x, eps)
	rows := Add(selectRows(pick, x), m.attentionAt(p, layer, h, selectRows(pick, h), pickPos))
	neurons := activations[cfg.Activation](p.linear(layer+"mlp.c_fc.", p.layerNorm(layer+"ln_2.", rows, eps)))
	rows = Add(rows, p.linear(layer+"mlp.c_proj.", neurons))
	return p.layerNorm("ln_f.", rows, eps)
}

// selectRows returns the rows of x [B, T, D] picked by pick [k, T]: [B, k, D], as a product
// (the gradient of Slice needs Pad, which the pure-Go backend lacks).
func selectRows(pick, x *Node) *Node {
	b := x.Shape().Dimensions[0]
	k, t := pick.Shape().Dimensions[0], pick.Shape().Dimensions[1]
	return dot(BroadcastToDims(InsertAxes(pick, 0), b, k, t), []int{2}, []int{0}, x, []int{1}, []int{0}, false)
}

// attentionAt is causal self-attention for queries hq [B, k, D] at absolute positions qPos [k]
// over keys and values from every position of h [B, T, D]: it returns [B, k, D].
func (m *Model) attentionAt(p params, layer string, h, hq, qPos *Node) *Node {
	cfg := m.Config
	b, t, k := h.Shape().Dimensions[0], h.Shape().Dimensions[1], hq.Shape().Dimensions[1]
	heads := func(name string, x *Node) *Node { // [B, n, D] -> [B, H, n, dh]
		y := p.linear(layer+"attn.c_attn."+name+".", x)
		return TransposeAllAxes(Reshape(y, b, x.Shape().Dimensions[1], cfg.NHead, cfg.HeadDim()), 0, 2, 1, 3)
	}
	q, keys, values := heads("q", hq), heads("k", h), heads("v", h)
	scores := MulScalar(dot(q, []int{3}, []int{0, 1}, keys, []int{3}, []int{0, 1}, false), 1/math.Sqrt(float64(cfg.HeadDim()))) // [B, H, k, T]
	g := h.Graph()
	keyPos := Iota(g, shapes.Make(dtypes.Int32, k, t), 1)
	allowed := LessOrEqual(keyPos, BroadcastToDims(InsertAxes(qPos, 1), k, t))
	scores = Where(BroadcastToDims(Reshape(allowed, 1, 1, k, t), b, cfg.NHead, k, t), scores, FillScalar(g, scores.Shape(), maskValue))
	out := dot(Softmax(scores, 3), []int{3}, []int{0, 1}, values, []int{2}, []int{0, 1}, false) // [B, H, k, dh]
	return p.linear(layer+"attn.c_proj.", Reshape(TransposeAllAxes(out, 0, 2, 1, 3), b, k, cfg.NEmbd))
}
