package bert

import (
	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/decoder"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
)

// EmbeddingGradients differentiates, for a flat [B, T, E] batch of word-embedding sequences and
// each target j, F_jb = softmax(MLM logits_b at targets[j].Position)[targets[j].ID]. It returns
// F [k][B] and, per target, Σ_b coef[b]·∂F_jb/∂embeds_b as a flat [T, E] buffer. The targets
// share one forward pass; each has its own backward pass.
func (m *Model) EmbeddingGradients(embeds []float32, batch int, targets []family.Target, coef []float32) (probs, grads [][]float32, err error) {
	return m.embeddingGradients(embeds, batch, targets, coef, nil)
}

// embeddingGradients is EmbeddingGradients with edits (nil: none).
func (m *Model) embeddingGradients(embeds []float32, batch int, targets []family.Target, coef []float32, edits []family.Edit) (probs, grads [][]float32, err error) {
	d := m.cfg.EmbedWidth
	if !m.head {
		return nil, nil, m.errorf("embedding gradient: %w", family.ErrNoMLMHead)
	}
	if batch < 1 || len(coef) != batch || len(embeds) == 0 || len(embeds)%(batch*d) != 0 {
		return nil, nil, m.errorf("embedding gradient: %d values, batch %d, %d weights do not make a [B, T, %d] batch", len(embeds), batch, len(coef), d)
	}
	t := len(embeds) / (batch * d)
	if err := m.checkLength(t); err != nil {
		return nil, nil, err
	}
	if len(targets) == 0 {
		return nil, nil, m.errorf("embedding gradient: no targets")
	}
	pos32, ids32 := make([]int32, len(targets)), make([]int32, len(targets))
	for j, tg := range targets {
		if tg.ID < 0 || tg.ID >= m.cfg.Vocab {
			return nil, nil, m.errorf("target id %d is outside the vocabulary [0, %d)", tg.ID, m.cfg.Vocab)
		}
		if tg.Position < 0 || tg.Position >= t {
			return nil, nil, m.errorf("target position %d is outside the %d positions given", tg.Position, t)
		}
		pos32[j], ids32[j] = int32(tg.Position), int32(tg.ID)
	}
	build := func(nodes []*Node) []*Node { return m.gradientGraph(edits, nodes) }
	outs, err := m.run("grad"+decoder.EditKey(edits), build, append([]any{
		tensors.FromFlatDataAndDimensions(embeds, batch, t, d),
		tensors.FromFlatDataAndDimensions(pos32, len(targets)),
		tensors.FromFlatDataAndDimensions(ids32, len(targets)),
		tensors.FromFlatDataAndDimensions(coef, batch),
	}, decoder.EditInputs(edits, 0, t, m.cfg.Inner)...)...)
	if err != nil {
		return nil, nil, err
	}
	return decoder.Rows(outs[0], len(targets)), decoder.Rows(outs[1], len(targets)), nil
}

// gradientGraph: inputs embeds [B, T, E], target positions [k] and ids [k] (int32), coef [B],
// then the edits' inputs (decoder.EditInputs). Outputs F [k, B] and, per target,
// Σ_b coef_b ∂F_b/∂embeds_b: [k, T, E].
func (m *Model) gradientGraph(edits []family.Edit, nodes []*Node) []*Node {
	p, in := m.params(nodes)
	embeds, targetPos, targetIDs, coef := in[0], in[1], in[2], in[3]
	k := targetPos.Shape().Dimensions[0]
	tap, _ := decoder.EditTap(m.cfg.Layers, edits, in[4:], false)
	r := m.forward(p, embeds, tap)
	last := TransposeAllAxes(r.hidden[len(r.hidden)-1], 1, 0, 2) // [T, B, D]
	picked := Gather(last, InsertAxes(targetPos, -1))            // [k, B, D]
	dist := Softmax(m.mlm(p, picked), 2)                         // [k, B, V]
	isTarget := InsertAxes(OneHot(targetIDs, m.cfg.Vocab, dtypes.Float32), 1)
	probs := ReduceSum(Mul(dist, BroadcastToDims(isTarget, dist.Shape().Dimensions...)), 2) // [k, B]
	grads := make([]*Node, k)
	for j := range k {
		f := Reshape(Slice(probs, AxisElem(j)), coef.Shape().Dimensions...) // [B]
		grads[j] = ReduceSum(Gradient(ReduceAllSum(Mul(f, coef)), embeds)[0], 0)
	}
	return []*Node{probs, Stack(grads, 0)}
}
