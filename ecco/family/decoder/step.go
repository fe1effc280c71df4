package decoder

import (
	"fmt"

	"github.com/ecco-go/ecco/ecco/family"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
)

// Step runs the new token ids after the cached positions (cache nil: from position 0).
// One call over a whole prompt is Ecco's forward pass; one call per token is KV-cached decoding.
func (m *Model) Step(ids []int, cache *family.Cache, opts family.StepOptions) (*family.StepOutput, error) {
	return m.step(ids, cache, opts, nil)
}

// step is Step with neuron edits.
func (m *Model) step(ids []int, cache *family.Cache, opts family.StepOptions, edits []family.Edit) (*family.StepOutput, error) {
	ids32, err := m.toInt32(ids)
	if err != nil {
		return nil, err
	}
	past := 0
	if cache != nil {
		if len(cache.KV) != 2*m.info.Layers {
			return nil, fmt.Errorf("%s: the cache holds %d tensors, want %d: it was made by another model", m.info.ModelType, len(cache.KV), 2*m.info.Layers)
		}
		past = cache.Len
	}
	pos, err := m.positions(past, len(ids))
	if err != nil {
		return nil, err
	}
	at32, err := LogitsAt(m.info.ModelType, opts.LogitsAt, len(ids))
	if err != nil {
		return nil, err
	}
	kind := execKind{name: "step", hidden: opts.Hidden, ffn: opts.FFN, withPast: past > 0, attention: opts.Attention, edits: EditKey(edits),
		capacity: cacheCapacity(cache, past+len(ids))}
	e, err := m.exec(kind, func(nodes []*Node) []*Node { return m.stepGraph(kind, edits, nodes) })
	if err != nil {
		return nil, err
	}
	inputs := []any{
		tensors.FromFlatDataAndDimensions(ids32, 1, len(ids32)),
		tensors.FromFlatDataAndDimensions(pos, len(pos)),
		tensors.FromFlatDataAndDimensions(at32, len(at32)),
	}
	inputs = append(inputs, EditInputs(edits, past, len(ids), m.info.Neurons)...)
	if past > 0 {
		for _, t := range cache.KV {
			inputs = append(inputs, t)
		}
	}
	outs, err := m.run(e, inputs...)
	if err != nil {
		return nil, err
	}
	return m.stepOutput(outs, opts, len(at32), len(ids), past)
}

// stepGraph: inputs ids [1, T], positions [T], logitsAt [K], the edits' inputs (EditInputs:
// only their layout is read from edits), then 2L cache tensors [1, KV, C, dh] when withPast.
// Outputs: logits [K, V], 2L cache tensors [1, KV, kind.capacity, dh], then hidden [L+1, 1, T, D],
// ffn [L, 1, T, N] and attention [L, 1, H, T, S] if asked (S: the capacity when withPast, else T).
func (m *Model) stepGraph(kind execKind, edits []family.Edit, nodes []*Node) []*Node {
	p, in := m.params(nodes)
	ids, positions, at := in[0], in[1], in[2]
	tap, in := EditTap(m.info.Layers, edits, in[3:], kind.attention)
	var past []KV
	if kind.withPast {
		for i := range m.info.Layers {
			past = append(past, KV{K: in[2*i], V: in[2*i+1]}.Grow(kind.capacity))
		}
	}
	r := m.forward(p, m.arch.embed(p, ids), positions, past, tap)
	t := ids.Shape().Dimensions[1]
	picked := Gather(Reshape(r.final, t, m.info.Width), InsertAxes(at, -1)) // [K, D]
	logits := m.logits(p, picked)
	if m.arch.SoftCap > 0 {
		logits = softCap(logits, m.arch.SoftCap)
	}
	outs := []*Node{logits}
	for _, c := range r.present {
		c = c.Grow(kind.capacity)
		outs = append(outs, c.K, c.V)
	}
	if kind.hidden {
		outs = append(outs, Stack(r.hidden, 0))
	}
	if kind.ffn {
		outs = append(outs, Stack(r.ffn, 0))
	}
	if kind.attention {
		outs = append(outs, tap.Probs())
	}
	return outs
}

func (m *Model) stepOutput(outs []*tensors.Tensor, opts family.StepOptions, k, t, past int) (*family.StepOutput, error) {
	layers := m.info.Layers
	logits, err := tensors.CopyFlatData[float32](outs[0])
	if err != nil {
		return nil, fmt.Errorf("%s: reading logits: %w", m.info.ModelType, err)
	}
	res := &family.StepOutput{Logits: Rows(logits, k), Cache: &family.Cache{KV: outs[1 : 1+2*layers], Len: past + t}}
	rest := outs[1+2*layers:]
	if opts.Hidden {
		if res.Hidden, err = LayerRows(rest[0], layers+1, t); err != nil {
			return nil, fmt.Errorf("%s: %w", m.info.ModelType, err)
		}
		rest = rest[1:]
	}
	if opts.FFN {
		if res.FFN, err = LayerRows(rest[0], layers, t); err != nil {
			return nil, fmt.Errorf("%s: %w", m.info.ModelType, err)
		}
		rest = rest[1:]
	}
	if opts.Attention {
		if res.Attention, err = AttentionRows(rest[0], layers, m.info.Heads, t); err != nil {
			return nil, fmt.Errorf("%s: %w", m.info.ModelType, err)
		}
		trimKeys(res.Attention, past+t)
	}
	return res, nil
}

// LogitsAt checks StepOptions.LogitsAt against the n new tokens of a step (nil: the last one)
// and returns the indices for the graph.
func LogitsAt(modelType string, at []int, n int) ([]int32, error) {
	if at == nil {
		at = []int{n - 1}
	}
	at32 := make([]int32, len(at))
	for i, a := range at {
		if a < 0 || a >= n {
			return nil, fmt.Errorf("%s: logits asked at index %d of %d new tokens", modelType, a, n)
		}
		at32[i] = int32(a)
	}
	return at32, nil
}

// cacheBlock is the step by which a KV cache's capacity grows (a variable for tests).
//
// Why a fixed capacity: a cache of exactly the cached length gave every decoding step inputs of
// a new shape, so a new graph to build and compile and keep (35 of them for 35 tokens, 116 MiB
// of SmolLM-135M's heap at its peak); with the capacity rounded up to 64 rows one step graph
// serves 64 positions. BENCHMARKS.md, "One step graph for 64 positions".
var cacheBlock = 64

// cacheCapacity is the capacity of the cache a step leaves with n positions cached after it:
// cache's own when it holds them, else n rounded up to cacheBlock.
func cacheCapacity(cache *family.Cache, n int) int {
	if cache != nil && len(cache.KV) > 0 {
		if have := cache.KV[0].Shape().Dimensions[2]; have >= n {
			return have
		}
	}
	return (n + cacheBlock - 1) / cacheBlock * cacheBlock
}

// trimKeys cuts each query's attention row [S] to the first n keys: a fixed-capacity cache's
// rows past them are empty slots, masked to probability zero.
func trimKeys(attention [][][][]float32, n int) {
	for _, layer := range attention {
		for _, head := range layer {
			for q, row := range head {
				head[q] = row[:n:n]
			}
		}
	}
}
