package seq2seq

import (
	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/decoder"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
)

// Encode runs the encoder over the source ids once: its output and each decoder layer's
// cross-attention keys and values, which every Step of a generation reads.
func (m *Model) Encode(ids []int, opts family.StepOptions) (*family.Encoded, *family.StepOutput, error) {
	enc := &m.arch.Encoder
	if err := enc.Positions.check(m.info.ModelType, "encoder", 0, len(ids)); err != nil {
		return nil, nil, err
	}
	idsT, err := m.ids(ids)
	if err != nil {
		return nil, nil, err
	}
	kind := execKind{name: "encode", hidden: opts.Hidden, ffn: opts.FFN, attention: opts.Attention}
	outs, err := m.run(kind, func(nodes []*Node) []*Node { return m.encodeGraph(kind, nodes) }, append([]any{idsT}, enc.positionInputs(0, len(ids))...)...)
	if err != nil {
		return nil, nil, err
	}
	layers := 2 * len(m.arch.Decoder.Layers)
	encoded := &family.Encoded{Len: len(ids), States: outs[0], Cross: outs[1 : 1+layers]}
	res := &family.StepOutput{}
	if err := m.readCaptures(res, outs[1+layers:], opts, m.encInfo, len(ids)); err != nil {
		return nil, nil, err
	}
	return encoded, res, nil
}

// encodeGraph: inputs ids [1, n], positions [n] (and buckets [n, n] for a Relative encoder).
// Outputs: the encoder's output [1, n, D], each decoder layer's cross keys and values
// [1, H, n, dh], then hidden [L+1, 1, n, D], ffn [L, 1, n, N] and attention [L, 1, H, n, n] if asked.
func (m *Model) encodeGraph(kind execKind, nodes []*Node) []*Node {
	p, in := m.params(nodes)
	enc := &m.arch.Encoder
	r := run{record: kind.attention}
	enc.runInputs(&r, in[1:])
	res := m.arch.forward(p, enc, m.arch.embed(p, in[0]), r)
	outs := []*Node{res.final}
	for _, kv := range m.arch.crossKV(p, res.final) {
		outs = append(outs, kv.K, kv.V)
	}
	return append(outs, captures(kind, res)...)
}

// captures are a pass's asked outputs: hidden states, FFN neurons, attention, stacked by layer.
func captures(kind execKind, res pass) []*Node {
	var outs []*Node
	if kind.hidden {
		outs = append(outs, Stack(res.hidden, 0))
	}
	if kind.ffn {
		outs = append(outs, Stack(res.ffn, 0))
	}
	if kind.attention {
		outs = append(outs, Stack(res.probs, 0))
	}
	return outs
}

// readCaptures reads captures' outputs for t positions of the stack info describes into res.
func (m *Model) readCaptures(res *family.StepOutput, outs []*tensors.Tensor, opts family.StepOptions, info family.Info, t int) error {
	var err error
	if opts.Hidden {
		if res.Hidden, err = decoder.LayerRows(outs[0], info.Layers+1, t); err != nil {
			return m.errorf("%w", err)
		}
		outs = outs[1:]
	}
	if opts.FFN {
		if res.FFN, err = decoder.LayerRows(outs[0], info.Layers, t); err != nil {
			return m.errorf("%w", err)
		}
		outs = outs[1:]
	}
	if opts.Attention {
		if res.Attention, err = decoder.AttentionRows(outs[0], info.Layers, info.Heads, t); err != nil {
			return m.errorf("%w", err)
		}
	}
	return nil
}

// Step runs the new decoder ids after the cached positions (cache nil: from the start),
// cross-attending to enc.
func (m *Model) Step(enc *family.Encoded, ids []int, cache *family.Cache, opts family.StepOptions) (*family.StepOutput, error) {
	layers := len(m.arch.Decoder.Layers)
	if enc == nil || len(enc.Cross) != 2*layers {
		return nil, m.errorf("step: the encoded source is missing or was made by another model (want %d cross-attention tensors)", 2*layers)
	}
	past := 0
	if cache != nil {
		if len(cache.KV) != 2*layers {
			return nil, m.errorf("the cache holds %d tensors, want %d: it was made by another model", len(cache.KV), 2*layers)
		}
		past = cache.Len
	}
	dec := &m.arch.Decoder
	if err := dec.Positions.check(m.info.ModelType, "decoder", past, len(ids)); err != nil {
		return nil, err
	}
	idsT, err := m.ids(ids)
	if err != nil {
		return nil, err
	}
	at32, err := decoder.LogitsAt(m.info.ModelType, opts.LogitsAt, len(ids))
	if err != nil {
		return nil, err
	}
	kind := execKind{name: "step", hidden: opts.Hidden, ffn: opts.FFN, attention: opts.Attention, past: past > 0}
	inputs := append([]any{idsT}, dec.positionInputs(past, len(ids))...)
	inputs = append(inputs, tensors.FromFlatDataAndDimensions(at32, len(at32)))
	for _, t := range enc.Cross {
		inputs = append(inputs, t)
	}
	if past > 0 {
		for _, t := range cache.KV {
			inputs = append(inputs, t)
		}
	}
	outs, err := m.run(kind, func(nodes []*Node) []*Node { return m.stepGraph(kind, nodes) }, inputs...)
	if err != nil {
		return nil, err
	}
	logits, err := tensors.CopyFlatData[float32](outs[0])
	if err != nil {
		return nil, m.errorf("reading logits: %w", err)
	}
	res := &family.StepOutput{Logits: decoder.Rows(logits, len(at32)), Cache: &family.Cache{KV: outs[1 : 1+2*layers], Len: past + len(ids)}}
	if err := m.readCaptures(res, outs[1+2*layers:], opts, m.info, len(ids)); err != nil {
		return nil, err
	}
	return res, nil
}

// stepGraph: inputs ids [1, T], positions [T] (and buckets [T, S] for a Relative decoder),
// logitsAt [K], 2L cross tensors, then 2L cache tensors when kind.past. Outputs: logits [K, V],
// 2L cache tensors, then hidden, ffn and attention [L, 1, H, T, S] if asked.
func (m *Model) stepGraph(kind execKind, nodes []*Node) []*Node {
	p, in := m.params(nodes)
	dec := &m.arch.Decoder
	layers := len(dec.Layers)
	ids := in[0]
	r := run{causal: true, record: kind.attention}
	in = dec.runInputs(&r, in[1:])
	at, in := in[0], in[1:]
	for i := range layers {
		r.cross = append(r.cross, decoder.KV{K: in[2*i], V: in[2*i+1]})
	}
	in = in[2*layers:]
	if kind.past {
		for i := range layers {
			r.past = append(r.past, decoder.KV{K: in[2*i], V: in[2*i+1]})
		}
	}
	res := m.arch.forward(p, dec, m.arch.embed(p, ids), r)
	t := ids.Shape().Dimensions[1]
	picked := Gather(Reshape(res.final, t, m.info.Width), InsertAxes(at, -1)) // [K, D]
	outs := []*Node{m.arch.logits(p, picked)}
	for _, c := range res.present {
		outs = append(outs, c.K, c.V)
	}
	return append(outs, captures(kind, res)...)
}
