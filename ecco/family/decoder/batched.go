package decoder

import (
	"github.com/ecco-go/ecco/ecco/family"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
)

// sortedGradients runs one gradient graph on embeds [B, T, D] for targets at ascending positions
// pos32 with ids ids32, with neuron edits (nil: none): F [k][B] and the
// gradients [k][T·D]. autodiff picks GoMLX's autodiff, one backward pass per target, over the
// hand-written batched backward pass.
func (m *Model) sortedGradients(embeds []float32, batch, t int, pos32, ids32 []int32, coef []float32, edits []family.Edit, autodiff bool) (probs, grads [][]float32, err error) {
	pos, err := m.positions(0, t)
	if err != nil {
		return nil, nil, err
	}
	kind := execKind{name: "grad-autodiff", edits: EditKey(edits)}
	build := func(nodes []*Node) []*Node { return m.gradientGraph(edits, nodes) }
	if !autodiff {
		idle := idleRows(coef)
		kind = execKind{name: "grad", edits: EditKey(edits), idle: idle}
		kind.ends = m.passPlan(pos32, t, kind)
		build = m.batchedGraph(kind.ends, idle, family.EditedLayers(edits))
	}
	e, err := m.exec(kind, build)
	if err != nil {
		return nil, nil, err
	}
	k := len(pos32)
	outs, err := m.run(e, append([]any{
		tensors.FromFlatDataAndDimensions(embeds, batch, t, m.info.Width),
		tensors.FromFlatDataAndDimensions(pos, t),
		tensors.FromFlatDataAndDimensions(pos32, k),
		tensors.FromFlatDataAndDimensions(ids32, k),
		tensors.FromFlatDataAndDimensions(coef, batch),
	}, EditInputs(edits, 0, t, m.info.Neurons)...)...)
	if err != nil {
		return nil, nil, err
	}
	return ReadGradients(outs, k)
}

// idleRows counts the trailing zeros of coef, at most len(coef)−1: integrated gradients sends
// α = 1 and α = 0 last with weight 0, for F alone.
func idleRows(coef []float32) int {
	n := 0
	for n < len(coef)-1 && coef[len(coef)-1-n] == 0 {
		n++
	}
	return n
}

// batchedGraph: gradientGraph's inputs and outputs, through the tape and the hand-written
// backward pass. ends is passPlan's key: "" for one backward pass over all T positions,
// whatever the target positions; else the positions are fixed and the passes cut to their
// prefixes. The last idle rows of the batch (weight 0) get F alone, no backward pass.
func (m *Model) batchedGraph(ends string, idle int, edited []int) func(nodes []*Node) []*Node {
	return func(nodes []*Node) []*Node {
		p, in := m.params(nodes)
		embeds, positions, targetPos, targetIDs, coef := in[0], in[1], in[2], in[3], in[4]
		var edits *editRows
		if len(edited) > 0 {
			edits = &editRows{layers: edited, keep: in[5], add: in[6]}
		}
		b, t, d := embeds.Shape().Dimensions[0]-idle, embeds.Shape().Dimensions[1], embeds.Shape().Dimensions[2]
		k := targetPos.Shape().Dimensions[0]
		passes := [][3]int{{0, k, t}} // targets from, to and their prefix
		if ends != "" {
			fixed, cuts := m.planPasses(ends, b, t)
			targetPos, passes = Const(embeds.Graph(), fixed), cuts
		}
		tp := m.arch.tapedFinal(p, embeds, positions, targetPos, edits)
		probs, seed := CappedHeadSeed(p.Get(m.arch.Head), p[HeadColumns], tp.out, targetIDs, m.arch.SoftCap) // [B, k], [B, k, D]
		if idle > 0 {
			tp, seed, coef = tp.firstRows(b), sliceAxis(seed, 0, 0, b), sliceAxis(coef, 0, 0, b)
		}
		var grads []*Node
		for _, pass := range passes {
			from, to, n := pass[0], pass[1], pass[2]
			dx := m.arch.targetGradients(p, tp.cut(n, from, to), sliceAxis(seed, 1, from, to)) // [(to−from)·B, n, D]
			dx = Reshape(dx, to-from, b, n, d)                                                 // [k', B, n, D]
			dx = DotGeneral(dx, []int{1}, nil, coef, []int{0}, nil)                            // [k', n, D]: Σ_b coef_b ·
			if n < t {
				dx = Concatenate([]*Node{dx, Zeros(embeds.Graph(), shapes.Make(dx.DType(), to-from, t-n, d))}, 1)
			}
			grads = append(grads, dx)
		}
		return []*Node{Transpose(probs, 0, 1), Concatenate(grads, 0)}
	}
}
