package seq2seq

import (
	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/decoder"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
)

// Embeddings returns the shared token-embedding rows of ids as a flat [T, D] buffer.
func (m *Model) Embeddings(ids []int) ([]float32, error) {
	idsT, err := m.ids(ids)
	if err != nil {
		return nil, err
	}
	outs, err := m.run(execKind{name: "embed"}, func(nodes []*Node) []*Node {
		p, in := m.params(nodes)
		return []*Node{m.arch.embed(p, in[0])}
	}, idsT)
	if err != nil {
		return nil, err
	}
	return tensors.CopyFlatData[float32](outs[0])
}

// EmbeddingGradients differentiates each target's probability under the generating head (T5's
// rescale and BART's logits bias included: the function Ecco attributes) with respect to both
// stacks' embeddings, by GoMLX autodiff: one forward pass of the batch, one backward pass per
// target. Targets index decoder positions; the decoder is causal, so one decoder sequence
// serves every target at or before its end.
func (m *Model) EmbeddingGradients(enc, dec []float32, batch int, targets []family.Target, coef []float32) (probs, encGrads, decGrads [][]float32, err error) {
	d := m.info.Width
	if batch < 1 || len(enc) == 0 || len(enc)%(batch*d) != 0 {
		return nil, nil, nil, m.errorf("embedding gradient: %d encoder values, batch %d do not make a [B, n, %d] batch", len(enc), batch, d)
	}
	n := len(enc) / (batch * d)
	if err := m.arch.Encoder.Positions.check(m.info.ModelType, "encoder", 0, n); err != nil {
		return nil, nil, nil, err
	}
	// The decoder's half is checked as a decoder family's call (batch, coef, targets).
	mDec, pos32, ids32, err := decoder.CheckGradient(m.info, dec, batch, targets, coef)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := m.arch.Decoder.Positions.check(m.info.ModelType, "decoder", 0, mDec); err != nil {
		return nil, nil, nil, err
	}
	inputs := []any{tensors.FromFlatDataAndDimensions(enc, batch, n, d), tensors.FromFlatDataAndDimensions(dec, batch, mDec, d)}
	inputs = append(inputs, m.arch.Encoder.positionInputs(0, n)...)
	inputs = append(inputs, m.arch.Decoder.positionInputs(0, mDec)...)
	inputs = append(inputs,
		tensors.FromFlatDataAndDimensions(pos32, len(pos32)),
		tensors.FromFlatDataAndDimensions(ids32, len(ids32)),
		tensors.FromFlatDataAndDimensions(coef, batch))
	outs, err := m.run(execKind{name: "grad"}, m.gradientGraph, inputs...)
	if err != nil {
		return nil, nil, nil, err
	}
	flat := make([][]float32, len(outs))
	for i, t := range outs {
		if flat[i], err = tensors.CopyFlatData[float32](t); err != nil {
			return nil, nil, nil, m.errorf("reading gradients: %w", err)
		}
	}
	k := len(targets)
	return decoder.Rows(flat[0], k), decoder.Rows(flat[1], k), decoder.Rows(flat[2], k), nil
}

// gradientGraph: inputs encoder embeddings [B, n, D], decoder embeddings [B, m, D], each stack's
// positionInputs, target positions [k] and ids [k] (int32), coef [B]. Outputs F [k, B] and, per
// target, Σ_b coef_b ∂F_b/∂enc_b [k, n, D] and Σ_b coef_b ∂F_b/∂dec_b [k, m, D].
func (m *Model) gradientGraph(nodes []*Node) []*Node {
	p, in := m.params(nodes)
	a := m.arch
	encEmb, decEmb := in[0], in[1]
	var re, rd run
	in = a.Encoder.runInputs(&re, in[2:])
	in = a.Decoder.runInputs(&rd, in)
	targetPos, targetIDs, coef := in[0], in[1], in[2]
	encoded := a.forward(p, &a.Encoder, encEmb, re).final
	rd.causal, rd.cross = true, a.crossKV(p, encoded)
	final := a.forward(p, &a.Decoder, decEmb, rd).final                           // [B, m, D]
	picked := Gather(TransposeAllAxes(final, 1, 0, 2), InsertAxes(targetPos, -1)) // [k, B, D]
	probs, seed := a.headSeed(p, picked, targetIDs)
	scores := ReduceSum(Mul(picked, seed), 2) // [k, B]: Σ_d h·∂F/∂h
	k := targetPos.Shape().Dimensions[0]
	encGrads, decGrads := make([]*Node, k), make([]*Node, k)
	for j := range k {
		f := Reshape(Slice(scores, AxisElem(j)), coef.Shape().Dimensions...) // [B]
		g := Gradient(ReduceAllSum(Mul(f, coef)), encEmb, decEmb)
		encGrads[j], decGrads[j] = ReduceSum(g[0], 0), ReduceSum(g[1], 0)
	}
	return []*Node{probs, Stack(encGrads, 0), Stack(decGrads, 0)}
}

// headSeed returns, for the decoder's final states h [k, B, D] at the targets and the targets'
// ids [k], each target's probability F under the generating head, [k, B], and ∂F/∂h [k, B, D]
// as a constant, from which the backward passes start.
//
// Why in closed form: with logits z = s·h·Wᵀ + bias, ∂F/∂h = s·F·(W_id − Σ_v p_v W_v): one
// product for every target, where autodiff through the head would run its [k, B, V] backward
// once per target (that made tiny-bart-a's integrated gradients take minutes).
func (a *Arch) headSeed(p decoder.Params, h, ids *Node) (probs, seed *Node) {
	h = StopGradient(h)
	dist := Softmax(a.logits(p, h), 2) // [k, B, V]
	k, b, v, d := dist.Shape().Dimensions[0], dist.Shape().Dimensions[1], dist.Shape().Dimensions[2], h.Shape().Dimensions[2]
	head := p.Get(a.Head)
	probs = ReduceSum(Mul(dist, BroadcastToDims(InsertAxes(OneHot(ids, v, dist.DType()), 1), k, b, v)), 2)
	expected := DotGeneral(dist, []int{2}, nil, head, []int{0}, nil)                   // [k, B, D]
	rows := BroadcastToDims(InsertAxes(Gather(head, InsertAxes(ids, -1)), 1), k, b, d) // [k, B, D]
	seed = Mul(InsertAxes(probs, -1), Sub(rows, expected))
	if a.HeadScale != 0 {
		seed = MulScalar(seed, a.HeadScale)
	}
	return probs, StopGradient(seed)
}

// LMHead maps decoder hidden states [K][D] to logits [K][V] through the head alone (no T5
// rescale, no logits bias: Ecco's rankings), after the decoder's final norm when norm is true.
func (m *Model) LMHead(states [][]float32, norm bool) ([][]float32, error) {
	d := m.info.Width
	if len(states) == 0 {
		return nil, nil
	}
	flat := make([]float32, 0, len(states)*d)
	for i, s := range states {
		if len(s) != d {
			return nil, m.errorf("hidden state %d has width %d, want %d", i, len(s), d)
		}
		flat = append(flat, s...)
	}
	kind := execKind{name: "lmhead", norm: norm}
	outs, err := m.run(kind, func(nodes []*Node) []*Node {
		p, in := m.params(nodes)
		h := in[0]
		if norm {
			h = m.arch.Decoder.Final.ApplyOptional(p, h)
		}
		return []*Node{m.arch.lens(p, h)}
	}, tensors.FromFlatDataAndDimensions(flat, len(states), d))
	if err != nil {
		return nil, err
	}
	logits, err := tensors.CopyFlatData[float32](outs[0])
	if err != nil {
		return nil, m.errorf("reading logits: %w", err)
	}
	return decoder.Rows(logits, len(states)), nil
}
