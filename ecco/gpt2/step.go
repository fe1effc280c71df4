package gpt2

import (
	"fmt"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/decoder"

	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
)

// Step runs the new token ids after the cached positions (cache nil: from position 0).
// One call over a whole prompt is Ecco's forward pass; one call per token is KV-cached decoding.
func (m *Model) Step(ids []int, cache *Cache, opts StepOptions) (*StepOutput, error) {
	return m.step(ids, cache, opts, nil)
}

// step is Step with neuron edits.
func (m *Model) step(ids []int, cache *Cache, opts StepOptions, edits []family.Edit) (*StepOutput, error) {
	ids32, err := m.toInt32(ids)
	if err != nil {
		return nil, err
	}
	past := 0
	if cache != nil {
		past = cache.Len
	}
	pos, err := m.positions(past, len(ids))
	if err != nil {
		return nil, err
	}
	at := opts.LogitsAt
	if at == nil {
		at = []int{len(ids) - 1}
	}
	at32 := make([]int32, len(at))
	for i, a := range at {
		if a < 0 || a >= len(ids) {
			return nil, fmt.Errorf("gpt2: logits asked at index %d of %d new tokens", a, len(ids))
		}
		at32[i] = int32(a)
	}
	kind := execKind{name: "step", hidden: opts.Hidden, ffn: opts.FFN, withPast: past > 0, attention: opts.Attention, edits: decoder.EditKey(edits)}
	edited := family.EditedLayers(edits)
	e, err := m.exec(kind, func(nodes []*Node) []*Node { return m.stepGraph(kind, edited, nodes) })
	if err != nil {
		return nil, err
	}
	inputs := []any{
		tensors.FromFlatDataAndDimensions(ids32, 1, len(ids32)),
		tensors.FromFlatDataAndDimensions(pos, len(pos)),
		tensors.FromFlatDataAndDimensions(at32, len(at32)),
	}
	inputs = append(inputs, decoder.EditInputs(edits, past, len(ids), m.Config.NInner)...)
	if past > 0 {
		for _, t := range cache.KV {
			inputs = append(inputs, t)
		}
	}
	outs, err := m.run(e, inputs...)
	if err != nil {
		return nil, err
	}
	return m.stepOutput(outs, opts, len(at), len(ids), past)
}

// stepGraph: inputs ids [1, T], positions [T], logitsAt [K], the edits' keep and add [E, T, N]
// when edited layers are given, then 2L cache tensors when withPast. Outputs: logits [1, K, V],
// 2L cache tensors, then hidden [L+1, 1, T, D], ffn [L, 1, T, N], attention [L, 1, H, T, S] if asked.
func (m *Model) stepGraph(kind execKind, edited []int, nodes []*Node) []*Node {
	p, in := m.params(nodes)
	ids, positions, at := in[0], in[1], in[2]
	in = in[3:]
	var keep, add *Node
	if len(edited) > 0 {
		keep, add, in = in[0], in[1], in[2:]
	}
	var past []kv
	if kind.withPast {
		for i := range m.Config.NLayer {
			past = append(past, kv{in[2*i], in[2*i+1]})
		}
	}
	tap := decoder.NewTap(m.Config.NLayer, edited, keep, add, kind.attention)
	final, hidden, ffn, present := m.body(p, m.embed(p, ids), positions, past, tap)
	t, k := ids.Shape().Dimensions[1], at.Shape().Dimensions[0]
	picked := Gather(Reshape(final, t, m.Config.NEmbd), InsertAxes(at, -1)) // [K, D]
	outs := []*Node{m.logits(p, Reshape(picked, 1, k, m.Config.NEmbd))}
	for _, c := range present {
		outs = append(outs, c.k, c.v)
	}
	if kind.hidden {
		outs = append(outs, Stack(hidden, 0))
	}
	if kind.ffn {
		outs = append(outs, Stack(ffn, 0))
	}
	if kind.attention {
		outs = append(outs, tap.Probs())
	}
	return outs
}

func (m *Model) stepOutput(outs []*tensors.Tensor, opts StepOptions, k, t, past int) (*StepOutput, error) {
	cfg := m.Config
	logits, err := tensors.CopyFlatData[float32](outs[0])
	if err != nil {
		return nil, fmt.Errorf("gpt2: reading logits: %w", err)
	}
	res := &StepOutput{Logits: decoder.Rows(logits, k), Cache: &Cache{KV: outs[1 : 1+2*cfg.NLayer], Len: past + t}}
	rest := outs[1+2*cfg.NLayer:]
	if opts.Hidden {
		if res.Hidden, err = layerRows(rest[0], cfg.NLayer+1, t); err != nil {
			return nil, err
		}
		rest = rest[1:]
	}
	if opts.FFN {
		if res.FFN, err = layerRows(rest[0], cfg.NLayer, t); err != nil {
			return nil, err
		}
		rest = rest[1:]
	}
	if opts.Attention {
		if res.Attention, err = decoder.AttentionRows(rest[0], cfg.NLayer, cfg.NHead, t); err != nil {
			return nil, fmt.Errorf("gpt2: %w", err)
		}
	}
	return res, nil
}

// layerRows reads a [layers, 1, T, W] tensor as [layers][T][W].
func layerRows(t *tensors.Tensor, layers, positions int) ([][][]float32, error) {
	rows, err := decoder.LayerRows(t, layers, positions)
	if err != nil {
		return nil, fmt.Errorf("gpt2: %w", err)
	}
	return rows, nil
}
