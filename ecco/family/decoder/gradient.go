package decoder

import (
	"fmt"
	"slices"

	"github.com/ecco-go/ecco/ecco/family"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
)

// Embeddings returns the token-embedding rows of ids as a flat [T, D] buffer.
func (m *Model) Embeddings(ids []int) ([]float32, error) {
	ids32, err := m.toInt32(ids)
	if err != nil {
		return nil, err
	}
	e, err := m.exec(execKind{name: "embed"}, func(nodes []*Node) []*Node {
		p, in := m.params(nodes)
		return []*Node{m.arch.embed(p, in[0])}
	})
	if err != nil {
		return nil, err
	}
	outs, err := m.run(e, tensors.FromFlatDataAndDimensions(ids32, 1, len(ids32)))
	if err != nil {
		return nil, err
	}
	return tensors.CopyFlatData[float32](outs[0])
}

// EmbeddingGradients differentiates several next-token probabilities of one forward pass with
// respect to the token embeddings (see family.Model). The causal mask makes a prefix's forward
// pass a prefix of the whole sequence's, so targets at earlier positions share one forward
// pass; the backward passes are written by hand from the Arch's pieces and batched over
// targets, cut to their prefixes (backward.go, passes.go; zero beyond each target's position).
func (m *Model) EmbeddingGradients(embeds []float32, batch int, targets []family.Target, coef []float32) (probs, grads [][]float32, err error) {
	return m.embeddingGradients(embeds, batch, targets, coef, nil, !m.arch.differentiable())
}

// embeddingGradients is EmbeddingGradients with neuron edits at every row of the batch, through
// the hand-written backward pass or GoMLX's autodiff, one backward pass per target: the oracle
// the tests compare with, and the path for a piece without a written derivative.
func (m *Model) embeddingGradients(embeds []float32, batch int, targets []family.Target, coef []float32, edits []family.Edit, autodiff bool) (probs, grads [][]float32, err error) {
	t, pos32, ids32, err := CheckGradient(m.info, embeds, batch, targets, coef)
	if err != nil {
		return nil, nil, err
	}
	// The batched graph fixes the targets by ascending position (passPlan).
	order := make([]int, len(targets))
	for j := range order {
		order[j] = j
	}
	slices.SortStableFunc(order, func(a, b int) int { return targets[a].Position - targets[b].Position })
	sortedPos, sortedIDs := make([]int32, len(order)), make([]int32, len(order))
	for i, j := range order {
		sortedPos[i], sortedIDs[i] = pos32[j], ids32[j]
	}
	var sortedProbs, sortedGrads [][]float32
	if autodiff {
		sortedProbs, sortedGrads, err = m.sortedGradients(embeds, batch, t, sortedPos, sortedIDs, coef, edits, true)
	} else {
		sortedProbs, sortedGrads, err = m.batchedGradients(embeds, batch, t, sortedPos, sortedIDs, coef, edits)
	}
	if err != nil {
		return nil, nil, err
	}
	probs, grads = make([][]float32, len(targets)), make([][]float32, len(targets))
	for i, j := range order {
		probs[j], grads[j] = sortedProbs[i], sortedGrads[i]
	}
	return probs, grads, nil
}

// differentiable reports whether every piece of a has a written derivative.
func (a *Arch) differentiable() bool {
	for _, l := range a.Layers {
		if act, ok := activations[l.FFN.Act]; !ok || act.slope == nil {
			return false
		}
	}
	return true
}

// CheckGradient checks an EmbeddingGradients call against the model info describes and returns
// the sequence length and the targets' positions and ids.
func CheckGradient(info family.Info, embeds []float32, batch int, targets []family.Target, coef []float32) (t int, pos32, ids32 []int32, err error) {
	d, name := info.Width, info.ModelType
	if batch < 1 || len(coef) != batch || len(embeds)%(batch*d) != 0 || len(embeds) == 0 {
		return 0, nil, nil, fmt.Errorf("%s: embedding gradient: %d values, batch %d, %d weights do not make a [B, T, %d] batch", name, len(embeds), batch, len(coef), d)
	}
	t = len(embeds) / (batch * d)
	if len(targets) == 0 {
		return 0, nil, nil, fmt.Errorf("%s: embedding gradient: no targets", name)
	}
	pos32, ids32 = make([]int32, len(targets)), make([]int32, len(targets))
	for j, tg := range targets {
		if tg.ID < 0 || tg.ID >= info.Vocab {
			return 0, nil, nil, fmt.Errorf("%s: target id %d is outside the vocabulary [0, %d)", name, tg.ID, info.Vocab)
		}
		if tg.Position < 0 || tg.Position >= t {
			return 0, nil, nil, fmt.Errorf("%s: target position %d is outside the %d positions given", name, tg.Position, t)
		}
		pos32[j], ids32[j] = int32(tg.Position), int32(tg.ID)
	}
	return t, pos32, ids32, nil
}

// ReadGradients reads a gradient graph's outputs F [k, B] and gradients [k, T, D] by target.
func ReadGradients(outs []*tensors.Tensor, k int) (probs, grads [][]float32, err error) {
	flatProbs, err := tensors.CopyFlatData[float32](outs[0])
	if err != nil {
		return nil, nil, err
	}
	flatGrads, err := tensors.CopyFlatData[float32](outs[1])
	if err != nil {
		return nil, nil, err
	}
	return Rows(flatProbs, k), Rows(flatGrads, k), nil
}

// gradientGraph: inputs embeds [B, T, D], positions [T], target positions [k] and ids [k]
// (int32), coef [B], then the edits' inputs (EditInputs).
// Outputs F [k, B] and, per target, Σ_b coef_b ∂F_b/∂embeds_b: [k, T, D].
func (m *Model) gradientGraph(edits []family.Edit, nodes []*Node) []*Node {
	p, in := m.params(nodes)
	embeds, positions, targetPos, targetIDs, coef := in[0], in[1], in[2], in[3], in[4]
	tap, _ := EditTap(m.info.Layers, edits, in[5:], false)
	final := m.forward(p, embeds, positions, nil, tap).final // [B, T, D]
	return TargetGradients(p.Get(m.arch.Head), p[HeadColumns], final, embeds, targetPos, targetIDs, coef, m.arch.SoftCap)
}

// TargetGradients differentiates, from the final states [B, T, D] of a forward pass over
// embeds [B, T, D], each target's probability (target positions and ids [k], int32) with
// respect to embeds, weighting batch rows by coef [B]. It returns F [k, B] and the gradients
// [k, T, D]: the outputs of a gradient graph. head is the LM head [V, D], columns its [D, V] copy
// (nil when the model holds none).
func TargetGradients(head, columns, final, embeds, targetPos, targetIDs, coef *Node, softCap float64) []*Node {
	t, k := embeds.Shape().Dimensions[1], targetPos.Shape().Dimensions[0]
	picked := DotGeneral(final, []int{1}, nil, OneHot(targetPos, t, final.DType()), []int{1}, nil) // [B, D, k]
	picked = Transpose(picked, 1, 2)                                                               // [B, k, D]
	probs, seed := CappedHeadSeed(head, columns, picked, targetIDs, softCap)
	scores := ReduceSum(Mul(picked, seed), 2) // [B, k]: Σ_d h·∂F/∂h
	grads := make([]*Node, k)
	for j := range k {
		weight := Mul(InsertAxes(coef, 1), OneHot(Const(embeds.Graph(), []int32{int32(j)}), k, coef.DType())) // [B, k]: coef in column j
		grads[j] = ReduceSum(Gradient(ReduceAllSum(Mul(scores, weight)), embeds)[0], 0)
	}
	return []*Node{Transpose(probs, 0, 1), Stack(grads, 0)}
}

// LMHead maps hidden states [K][D] to logits [K][V], after the final norm when norm is true.
func (m *Model) LMHead(states [][]float32, norm bool) ([][]float32, error) {
	d := m.info.Width
	if len(states) == 0 {
		return nil, nil
	}
	flat := make([]float32, 0, len(states)*d)
	for i, s := range states {
		if len(s) != d {
			return nil, fmt.Errorf("%s: hidden state %d has width %d, want %d", m.info.ModelType, i, len(s), d)
		}
		flat = append(flat, s...)
	}
	e, err := m.exec(execKind{name: "lmhead", norm: norm}, func(nodes []*Node) []*Node {
		p, in := m.params(nodes)
		h := in[0]
		if norm {
			h = m.arch.Final.Apply(p, h)
		}
		// Float32, the product Step's logits use: with the norms in float64, a float64 product
		// here brought no reference model's layer predictions closer to Ecco's, and GPT-2's and
		// Qwen2's farther.
		return []*Node{m.logits(p, h)}
	})
	if err != nil {
		return nil, err
	}
	outs, err := m.run(e, tensors.FromFlatDataAndDimensions(flat, len(states), d))
	if err != nil {
		return nil, err
	}
	logits, err := tensors.CopyFlatData[float32](outs[0])
	if err != nil {
		return nil, err
	}
	return Rows(logits, len(states)), nil
}
