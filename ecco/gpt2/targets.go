package gpt2

import (
	"fmt"

	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
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
	q, k, v := m.qkv(p, layer, h)
	attended := m.attend(p, layer, m.splitHeads(selectRows(pick, q)), m.splitHeads(k), m.splitHeads(v), pickPos)
	rows := Add(selectRows(pick, x), attended)
	neurons := activations[cfg.Activation](p.linear(layer+"mlp.c_fc.", p.layerNorm(layer+"ln_2.", rows, eps)))
	rows = Add(rows, p.linear(layer+"mlp.c_proj.", neurons))
	return p.layerNorm("ln_f.", rows, eps)
}

// selectRows returns the rows of x [B, T, D] picked by pick [k, T]: [B, k, D], as a product
// (the gradient of Slice needs Pad, which the pure-Go backend lacks).
func selectRows(pick, x *Node) *Node {
	b := x.Shape().Dimensions[0]
	k, t := pick.Shape().Dimensions[0], pick.Shape().Dimensions[1]
	return DotGeneral(BroadcastToDims(InsertAxes(pick, 0), b, k, t), []int{2}, []int{0}, x, []int{1}, []int{0})
}
