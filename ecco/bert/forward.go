package bert

import (
	"fmt"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/decoder"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
)

// Forward runs one text's ids and returns what opts asks: MLM logits at opts.LogitsAt (nil:
// none), hidden states [L+1][T][D], FFN neurons [L][T][N], attention [L][H][T][T].
func (m *Model) Forward(ids []int, opts family.StepOptions) (*family.StepOutput, error) {
	return m.forwardEdited(ids, opts, nil)
}

// forwardEdited is Forward with edits (nil: none).
func (m *Model) forwardEdited(ids []int, opts family.StepOptions, edits []family.Edit) (*family.StepOutput, error) {
	ids32, err := m.checkIDs(ids)
	if err != nil {
		return nil, err
	}
	at32 := make([]int32, len(opts.LogitsAt))
	for i, a := range opts.LogitsAt {
		if a < 0 || a >= len(ids) {
			return nil, m.errorf("logits asked at position %d of %d tokens", a, len(ids))
		}
		at32[i] = int32(a)
	}
	logits := len(at32) > 0
	if logits && !m.head {
		return nil, m.errorf("MLM logits: %w", family.ErrNoMLMHead)
	}
	if !logits && !opts.Hidden && !opts.FFN && !opts.Attention {
		return &family.StepOutput{}, nil
	}
	kind := fmt.Sprintf("forward(logits=%v,hidden=%v,ffn=%v,attention=%v,edits=%s)", logits, opts.Hidden, opts.FFN, opts.Attention, decoder.EditKey(edits))
	inputs := []any{tensors.FromFlatDataAndDimensions(ids32, 1, len(ids32))}
	if logits {
		inputs = append(inputs, tensors.FromFlatDataAndDimensions(at32, len(at32)))
	}
	inputs = append(inputs, decoder.EditInputs(edits, 0, len(ids), m.cfg.Inner)...)
	outs, err := m.run(kind, func(nodes []*Node) []*Node {
		p, in := m.params(nodes)
		ids, rest := in[0], in[1:]
		var at *Node
		if logits {
			at, rest = rest[0], rest[1:]
		}
		tap, _ := decoder.EditTap(m.cfg.Layers, edits, rest, opts.Attention)
		r := m.forward(p, m.embed(p, ids), tap)
		var outs []*Node
		if logits {
			last := r.hidden[len(r.hidden)-1]
			t := last.Shape().Dimensions[1]
			outs = append(outs, m.mlm(p, Gather(Reshape(last, t, m.cfg.Width), InsertAxes(at, -1))))
		}
		if opts.Hidden {
			outs = append(outs, Stack(r.hidden, 0))
		}
		if opts.FFN {
			outs = append(outs, Stack(r.ffn, 0))
		}
		if opts.Attention {
			outs = append(outs, tap.Probs())
		}
		return outs
	}, inputs...)
	if err != nil {
		return nil, err
	}
	res := &family.StepOutput{}
	if logits {
		res.Logits, outs = decoder.Rows(outs[0], len(at32)), outs[1:]
	}
	if opts.Hidden {
		res.Hidden, outs = layerRows(outs[0], m.cfg.Layers+1, len(ids)), outs[1:]
	}
	if opts.FFN {
		res.FFN, outs = layerRows(outs[0], m.cfg.Layers, len(ids)), outs[1:]
	}
	if opts.Attention {
		res.Attention = make([][][][]float32, m.cfg.Layers)
		for l, layer := range decoder.Rows(outs[0], m.cfg.Layers) {
			res.Attention[l] = layerRows(layer, m.cfg.Heads, len(ids))
		}
	}
	return res, nil
}

// layerRows reads a flat [layers, 1, T, W] buffer as [layers][T][W].
func layerRows(flat []float32, layers, positions int) [][][]float32 {
	out := make([][][]float32, layers)
	for i, layer := range decoder.Rows(flat, layers) {
		out[i] = decoder.Rows(layer, positions)
	}
	return out
}

// Embeddings returns the word-embedding rows of ids as a flat [T, E] buffer (E = D except for
// ALBERT and ELECTRA, whose embeddings are narrower).
func (m *Model) Embeddings(ids []int) ([]float32, error) {
	ids32, err := m.checkIDs(ids)
	if err != nil {
		return nil, err
	}
	outs, err := m.run("embed", func(nodes []*Node) []*Node {
		p, in := m.params(nodes)
		return []*Node{m.embed(p, in[0])}
	}, tensors.FromFlatDataAndDimensions(ids32, 1, len(ids32)))
	if err != nil {
		return nil, err
	}
	return outs[0], nil
}

// MLMHead maps hidden states [K][D] through the MLM head to logits [K][V].
func (m *Model) MLMHead(states [][]float32) ([][]float32, error) {
	if !m.head {
		return nil, m.errorf("MLM head: %w", family.ErrNoMLMHead)
	}
	if len(states) == 0 {
		return nil, nil
	}
	d := m.cfg.Width
	flat := make([]float32, 0, len(states)*d)
	for i, s := range states {
		if len(s) != d {
			return nil, m.errorf("hidden state %d has width %d, want %d", i, len(s), d)
		}
		flat = append(flat, s...)
	}
	outs, err := m.run("mlm", func(nodes []*Node) []*Node {
		p, in := m.params(nodes)
		return []*Node{m.mlm(p, in[0])}
	}, tensors.FromFlatDataAndDimensions(flat, len(states), d))
	if err != nil {
		return nil, err
	}
	return decoder.Rows(outs[0], len(states)), nil
}
