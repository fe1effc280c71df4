package gpt2

import (
	"fmt"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/core/tensors"
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

// EmbeddingGradient differentiates the probability of target at the last position with respect to
// the token embeddings. embeds is a flat [B, T, D] batch of embedding sequences (position
// embeddings are added inside the model; no attention mask). For each row b,
// F_b = softmax(logits at position T-1)[target]. It returns F [B] and Σ_b coef[b]·∂F_b/∂embeds_b
// as a flat [T, D] buffer: with B = 1 and coef {1} the plain gradient; with the scaled inputs and
// quadrature weights of integrated gradients, the whole integral in one execution.
func (m *Model) EmbeddingGradient(embeds []float32, batch int, target int, coef []float32) (probs, grad []float32, err error) {
	d := m.Config.NEmbd
	if batch < 1 || len(coef) != batch || len(embeds)%(batch*d) != 0 || len(embeds) == 0 {
		return nil, nil, fmt.Errorf("gpt2: embedding gradient: %d values, batch %d, %d weights do not make a [B, T, %d] batch", len(embeds), batch, len(coef), d)
	}
	if target < 0 || target >= m.Config.VocabSize {
		return nil, nil, fmt.Errorf("gpt2: target id %d is outside the vocabulary [0, %d)", target, m.Config.VocabSize)
	}
	t := len(embeds) / (batch * d)
	pos, err := m.positions(0, t)
	if err != nil {
		return nil, nil, err
	}
	_, backs, err := m.backwardWeights()
	if err != nil {
		return nil, nil, err
	}
	e, err := m.exec(execKind{name: "grad"}, m.gradientGraph)
	if err != nil {
		return nil, nil, err
	}
	args := make([]any, 0, len(backs)+4)
	for _, b := range backs {
		args = append(args, b)
	}
	outs, err := m.run(e, append(args,
		tensors.FromFlatDataAndDimensions(embeds, batch, t, d),
		tensors.FromFlatDataAndDimensions(pos, t),
		tensors.FromScalar(int32(target)),
		tensors.FromFlatDataAndDimensions(coef, batch))...)
	if err != nil {
		return nil, nil, err
	}
	if probs, err = tensors.CopyFlatData[float32](outs[0]); err != nil {
		return nil, nil, err
	}
	if grad, err = tensors.CopyFlatData[float32](outs[1]); err != nil {
		return nil, nil, err
	}
	return probs, grad, nil
}

// gradientGraph: inputs the transposed weights (backwardWeights), embeds [B, T, D],
// positions [T], target (scalar int32), coef [B].
// Outputs F [B] and Σ_b coef_b ∂F_b/∂embeds_b [T, D].
func (m *Model) gradientGraph(nodes []*Node) []*Node {
	p, in := m.params(nodes)
	for i, name := range m.backNames {
		p[name] = in[i]
	}
	in = in[len(m.backNames):]
	embeds, positions, target, coef := in[0], in[1], in[2], in[3]
	g := embeds.Graph()
	b, t, d := embeds.Shape().Dimensions[0], embeds.Shape().Dimensions[1], embeds.Shape().Dimensions[2]
	final, _, _, _ := m.body(p, embeds, positions, nil)
	// Select the last position with a one-hot product: the gradient of Slice needs Pad.
	isLast := ConvertDType(Equal(Iota(g, shapes.Make(dtypes.Int32, 1, t, 1), 1), Const(g, int32(t-1))), dtypes.Float32)
	last := ReduceSum(Mul(final, BroadcastToDims(isLast, 1, t, d)), 1) // [B, D]
	logits := Reshape(m.logits(p, InsertAxes(last, 1)), b, -1)         // [B, Vp]
	v := logits.Shape().Dimensions[1]
	inVocab := BroadcastToDims(LessThan(Iota(g, shapes.Make(dtypes.Int32, 1, v), 1), Const(g, int32(m.Config.VocabSize))), b, v)
	probs := Softmax(Where(inVocab, logits, FillScalar(g, logits.Shape(), maskValue)), 1) // padding gets no mass
	isTarget := ConvertDType(Equal(Iota(g, shapes.Make(dtypes.Int32, 1, v), 1), BroadcastToDims(Reshape(target, 1, 1), 1, v)), dtypes.Float32)
	f := ReduceSum(Mul(probs, BroadcastToDims(isTarget, b, v)), 1) // [B]
	grad := Gradient(ReduceAllSum(Mul(f, coef)), embeds)[0]
	return []*Node{f, ReduceSum(grad, 0)}
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
	return m.vocabRows(logits, len(states)), nil
}
