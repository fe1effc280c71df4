package gpt2

import (
	"fmt"
	"slices"

	"github.com/ecco-go/ecco/ecco/family/decoder"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
)

// Embeddings returns the token-embedding rows of ids (wte[ids]) as a flat [T, D] buffer.
func (m *Model) Embeddings(ids []int) ([]float32, error) {
	ids32, err := m.toInt32(ids)
	if err != nil {
		return nil, err
	}
	e, err := m.exec(execKind{name: "embed"}, func(nodes []*Node) []*Node {
		p, in := m.params(nodes)
		return []*Node{m.embed(p, in[0])}
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

// EmbeddingGradients differentiates several probabilities of one forward pass with respect to
// the token embeddings. embeds is a flat [B, T, D] batch of embedding sequences (position
// embeddings are added inside the model; no attention mask). For target j and row b,
// F_jb = softmax(logits_b at targets[j].Position)[targets[j].ID]. It returns F [k][B] and, per
// target, Σ_b coef[b]·∂F_jb/∂embeds_b as a flat [T, D] buffer: with B = 1 and coef {1} the plain
// gradient; with scaled inputs and quadrature weights, integrated gradients in one execution.
//
// The causal mask makes a prefix's forward pass a prefix of the whole sequence's, so targets at
// earlier positions share the forward pass of the longest one; the backward passes are written
// by hand and batched over a few targets each, cut to their prefix (backward.go, passes.go;
// zero beyond each target's position).
func (m *Model) EmbeddingGradients(embeds []float32, batch int, targets []Target, coef []float32) (probs, grads [][]float32, err error) {
	_, handWritten := activationSlopes[m.Config.Activation]
	return m.embeddingGradients(embeds, batch, targets, coef, !handWritten)
}

// embeddingGradients is EmbeddingGradients through the hand-written backward pass batched over
// targets (backward.go), or through GoMLX's autodiff, one backward pass per target: the oracle
// the tests compare with, and the path for an activation without a written derivative.
func (m *Model) embeddingGradients(embeds []float32, batch int, targets []Target, coef []float32, autodiff bool) (probs, grads [][]float32, err error) {
	d := m.Config.NEmbd
	if batch < 1 || len(coef) != batch || len(embeds)%(batch*d) != 0 || len(embeds) == 0 {
		return nil, nil, fmt.Errorf("gpt2: embedding gradient: %d values, batch %d, %d weights do not make a [B, T, %d] batch", len(embeds), batch, len(coef), d)
	}
	t := len(embeds) / (batch * d)
	if len(targets) == 0 {
		return nil, nil, fmt.Errorf("gpt2: embedding gradient: no targets")
	}
	// The graph takes the targets by position, and the hand-written one fixes them (see passPlan).
	order := make([]int, len(targets))
	for j := range order {
		order[j] = j
	}
	slices.SortStableFunc(order, func(a, b int) int { return targets[a].Position - targets[b].Position })
	pos32, ids32 := make([]int32, len(targets)), make([]int32, len(targets))
	for i, j := range order {
		tg := targets[j]
		if tg.ID < 0 || tg.ID >= m.Config.VocabSize {
			return nil, nil, fmt.Errorf("gpt2: target id %d is outside the vocabulary [0, %d)", tg.ID, m.Config.VocabSize)
		}
		if tg.Position < 0 || tg.Position >= t {
			return nil, nil, fmt.Errorf("gpt2: target position %d is outside the %d positions given", tg.Position, t)
		}
		pos32[i], ids32[i] = int32(tg.Position), int32(tg.ID)
	}
	var sortedProbs, sortedGrads [][]float32
	if !autodiff {
		sortedProbs, sortedGrads, err = m.batchedGradients(embeds, batch, t, pos32, ids32, coef)
	} else {
		sortedProbs, sortedGrads, err = m.sortedGradients(embeds, batch, t, pos32, ids32, coef, autodiff)
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

// sortedGradients runs one gradient graph on embeds [B, T, D] for targets at ascending positions
// pos32 with ids ids32: F [k][B] and the gradients [k][T·D].
func (m *Model) sortedGradients(embeds []float32, batch, t int, pos32, ids32 []int32, coef []float32, autodiff bool) (probs, grads [][]float32, err error) {
	pos, err := m.positions(0, t)
	if err != nil {
		return nil, nil, err
	}
	kind := execKind{name: "grad-autodiff"}
	graph := m.autodiffGraph
	if !autodiff {
		idle := idleRows(coef)
		kind = execKind{name: "grad", ends: m.passPlan(pos32, t, idle), idle: idle}
		graph = m.gradientGraph(kind.ends, idle)
	}
	e, err := m.exec(kind, graph)
	if err != nil {
		return nil, nil, err
	}
	k := len(pos32)
	outs, err := m.run(e,
		tensors.FromFlatDataAndDimensions(embeds, batch, t, m.Config.NEmbd),
		tensors.FromFlatDataAndDimensions(pos, t),
		tensors.FromFlatDataAndDimensions(pos32, k),
		tensors.FromFlatDataAndDimensions(ids32, k),
		tensors.FromFlatDataAndDimensions(coef, batch))
	if err != nil {
		return nil, nil, err
	}
	flatProbs, err := tensors.CopyFlatData[float32](outs[0])
	if err != nil {
		return nil, nil, err
	}
	flatGrads, err := tensors.CopyFlatData[float32](outs[1])
	if err != nil {
		return nil, nil, err
	}
	return decoder.Rows(flatProbs, k), decoder.Rows(flatGrads, k), nil
}

// idleRows counts the trailing zeros of coef, at most len(coef)−1: integrated gradients sends
// α = 1 and α = 0 last with weight 0, for F alone (about 4% of its backward rows).
func idleRows(coef []float32) int {
	n := 0
	for n < len(coef)-1 && coef[len(coef)-1-n] == 0 {
		n++
	}
	return n
}

// EmbeddingGradient is EmbeddingGradients for one target at the last position.
func (m *Model) EmbeddingGradient(embeds []float32, batch int, target int, coef []float32) (probs, grad []float32, err error) {
	t := len(embeds) / max(1, batch*m.Config.NEmbd)
	p, g, err := m.EmbeddingGradients(embeds, batch, []Target{{Position: t - 1, ID: target}}, coef)
	if err != nil {
		return nil, nil, err
	}
	return p[0], g[0], nil
}

// gradientGraph: inputs embeds [B, T, D], positions [T], target positions [k] (ascending) and
// ids [k] (int32), coef [B]. Outputs F [k, B] and, per target, Σ_b coef_b ∂F_b/∂embeds_b:
// [k, T, D]. ends is passPlan's key: "" for one backward pass over all T positions, whatever the
// target positions; else the positions are fixed and the passes cut to their prefixes. The last
// idle rows of the batch (weight 0) get F alone, no backward pass.
func (m *Model) gradientGraph(ends string, idle int) func(nodes []*Node) []*Node {
	return func(nodes []*Node) []*Node {
		p, in := m.params(nodes)
		embeds, positions, targetPos, targetIDs, coef := in[0], in[1], in[2], in[3], in[4]
		b, t, d := embeds.Shape().Dimensions[0]-idle, embeds.Shape().Dimensions[1], embeds.Shape().Dimensions[2]
		k := targetPos.Shape().Dimensions[0]
		passes := [][3]int{{0, k, t}} // targets from, to and their prefix
		if ends != "" {
			fixed, cuts := planPasses(ends, b, t)
			targetPos, passes = Const(embeds.Graph(), fixed), cuts
		}
		tp := m.tapedFinal(p, embeds, positions, targetPos)
		probs, seed := decoder.HeadSeed(p[m.lmHead], p[decoder.HeadColumns], tp.final, targetIDs) // [B, k], [B, k, D]
		if idle > 0 {
			tp, seed, coef = tp.firstRows(b), sliceAxis(seed, 0, 0, b), sliceAxis(coef, 0, 0, b)
		}
		var grads []*Node
		for _, pass := range passes {
			from, to, n := pass[0], pass[1], pass[2]
			dx := m.targetGradients(p, tp.cut(n, from, to), sliceAxis(seed, 1, from, to)) // [(to−from)·B, n, D]
			dx = Reshape(dx, to-from, b, n, d)                                            // [k', B, n, D]
			dx = DotGeneral(dx, []int{1}, nil, coef, []int{0}, nil)                       // [k', n, D]: Σ_b coef_b ·
			if n < t {
				dx = Concatenate([]*Node{dx, Zeros(embeds.Graph(), shapes.Make(dx.DType(), to-from, t-n, d))}, 1)
			}
			grads = append(grads, dx)
		}
		return []*Node{Transpose(probs, 0, 1), Concatenate(grads, 0)}
	}
}

// autodiffGraph is gradientGraph through GoMLX's autodiff: one Gradient per target.
func (m *Model) autodiffGraph(nodes []*Node) []*Node {
	p, in := m.params(nodes)
	embeds, positions, targetPos, targetIDs, coef := in[0], in[1], in[2], in[3], in[4]
	g := embeds.Graph()
	t := embeds.Shape().Dimensions[1]
	k := targetPos.Shape().Dimensions[0]
	final := m.finalAt(p, embeds, positions, OneHot(targetPos, t, embeds.DType()), targetPos) // [B, k, D]
	probs, seed := decoder.HeadSeed(p[m.lmHead], p[decoder.HeadColumns], final, targetIDs)    // [B, k], [B, k, D]
	scores := ReduceSum(Mul(final, seed), 2)                                                  // [B, k]: Σ_d h·∂F/∂h
	grads := make([]*Node, k)
	for j := range k {
		weight := Mul(InsertAxes(coef, 1), OneHot(Const(g, []int32{int32(j)}), k, coef.DType())) // [B, k]: coef in column j
		grads[j] = ReduceSum(Gradient(ReduceAllSum(Mul(scores, weight)), embeds)[0], 0)          // [T, D]
	}
	return []*Node{Transpose(probs, 0, 1), Stack(grads, 0)}
}

// LMHead applies the LM head to hidden states [K][D] (after ln_f when lnf is true) and returns
// logits [K][V]. The logit lens runs it on every layer's states.
func (m *Model) LMHead(states [][]float32, lnf bool) ([][]float32, error) {
	d := m.Config.NEmbd
	if len(states) == 0 {
		return nil, nil
	}
	flat := make([]float32, 0, len(states)*d)
	for i, s := range states {
		if len(s) != d {
			return nil, fmt.Errorf("gpt2: hidden state %d has width %d, want %d", i, len(s), d)
		}
		flat = append(flat, s...)
	}
	e, err := m.exec(execKind{name: "lmhead", lnf: lnf}, func(nodes []*Node) []*Node {
		p, in := m.params(nodes)
		h := in[0]
		if lnf {
			h = p.layerNorm("ln_f.", h, m.Config.LayerNormEpsilon)
		}
		return []*Node{m.logits(p, h)}
	})
	if err != nil {
		return nil, err
	}
	outs, err := m.run(e, tensors.FromFlatDataAndDimensions(flat, 1, len(states), d))
	if err != nil {
		return nil, err
	}
	logits, err := tensors.CopyFlatData[float32](outs[0])
	if err != nil {
		return nil, err
	}
	return decoder.Rows(logits, len(states)), nil
}
