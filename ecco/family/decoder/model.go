package decoder

import (
	"fmt"
	"runtime"
	"slices"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
)

// Model is a family.Model made of an Arch and its weights.
type Model struct {
	info    family.Info
	arch    *Arch
	backend compute.Backend
	names   []string          // weight keys, in the order the graphs take them as parameters
	weights []*tensors.Tensor // same order
	size    int               // the checkpoint's weights as float32, bytes

	execs Execs[execKind]
}

var _ family.Model = (*Model)(nil)

// New decodes the weights straight into backend buffers (see NewWeight).
func New(backend compute.Backend, info family.Info, arch *Arch, w *Weights) (*Model, error) {
	m := &Model{info: info, arch: arch, backend: backend}
	var err error
	if m.names, m.weights, err = w.Upload(backend, info.ModelType); err != nil {
		return nil, err
	}
	// Why: the decode leaves garbage as large as the largest weights (transposed copies), and the
	// heap's next collection is due only when it doubles the live heap, weights included, so
	// that garbage would stay while attributions allocate fresh memory beside it. One collection
	// now lets them reuse it (the weights are pointer-free: marking them costs nothing).
	defer func() { runtime.GC(); runtime.GC() }()
	for _, t := range m.weights {
		m.size += t.Shape().Size() * 4
	}
	for i, name := range slices.Clone(m.names) {
		if name != arch.Head && !w.rowBlocked(name) {
			continue
		}
		views, ok, err := rowViews(backend, m.weights[i])
		if err != nil {
			return nil, fmt.Errorf("%s: %q: %w", info.ModelType, name, err)
		}
		if !ok {
			break // not the Go backend: no views of any weight
		}
		for j, v := range views {
			m.names, m.weights = append(m.names, rowBlockKey(name, j)), append(m.weights, v)
		}
	}
	if m.size > copyLimit || slices.Contains(m.names, rowBlockKey(arch.Head, 0)) {
		return m, nil
	}
	head := m.weights[slices.Index(m.names, arch.Head)]
	columns, err := Transposed(backend, head)
	if err != nil {
		return nil, fmt.Errorf("%s: the LM head's [D, V] copy: %w", info.ModelType, err)
	}
	m.names, m.weights = append(m.names, HeadColumns), append(m.weights, columns)
	return m, nil
}

// Info describes the architecture.
func (m *Model) Info() family.Info { return m.info }

// Backend is the GoMLX backend the model runs on.
func (m *Model) Backend() compute.Backend { return m.backend }

// params maps the first len(m.names) graph parameters to their keys; it returns the rest.
func (m *Model) params(nodes []*Node) (Params, []*Node) { return Bind(m.names, nodes) }

// Bind maps the first len(names) graph parameters to those weight keys; it returns the rest.
func Bind(names []string, nodes []*Node) (Params, []*Node) {
	p := make(Params, len(names))
	for i, name := range names {
		p[name] = nodes[i]
	}
	return p, nodes[len(names):]
}

// pass is one run of the blocks.
type pass struct {
	final   *Node   // [B, T, D], after the final norm
	hidden  []*Node // L+1 of [B, T, D]: HuggingFace's hidden_states
	ffn     []*Node // L of [B, T, N]
	present []KV
}

// forward runs every block over token embeddings [B, T, D] at positions [T] after past (nil:
// no cache, else one KV per layer), with tap's edits and capture (nil: none).
func (m *Model) forward(p Params, embeds, positions *Node, past []KV, tap *Tap) pass {
	var r pass
	x := m.arch.input(p, embeds, positions)
	r.hidden = append(r.hidden, x)
	for i := range m.info.Layers {
		var cache *KV
		if past != nil {
			cache = &past[i]
		}
		var neurons *Node
		var next KV
		x, neurons, next = m.arch.block(p, i, x, positions, cache, tap)
		r.present, r.ffn = append(r.present, next), append(r.ffn, neurons)
		if i < m.info.Layers-1 {
			r.hidden = append(r.hidden, x)
		}
	}
	r.final = m.arch.Final.Apply(p, x)
	r.hidden = append(r.hidden, r.final)
	return r
}

// logits applies the LM head: h [..., D] -> [..., V].
//
// One row goes through the head's row blocks when the model holds them (RowBlock): the product
// of every decoding step, and of LMHead for one state, so that both stay the same product.
func (m *Model) logits(p Params, h *Node) *Node {
	if y, ok := p.oneRowProduct(m.arch.Head, h); ok {
		return y
	}
	return headLogits(p.Get(m.arch.Head), p[HeadColumns], h)
}
