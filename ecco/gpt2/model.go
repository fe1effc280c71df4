package gpt2

import (
	"fmt"
	"slices"

	"github.com/ecco-go/ecco/ecco/family/decoder"
	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
)

// Model is a GPT-2 language model whose weights live on a GoMLX backend.
// It is safe for concurrent use.
type Model struct {
	Config  *Config
	backend compute.Backend
	names   []string          // weight keys, in the order the graphs take them as parameters
	weights []*tensors.Tensor // same order
	lmHead  string            // "wte.weight" (tied) or "lm_head.weight"

	execs decoder.Execs[execKind]
}

// New decodes the weights straight into backend buffers (shared with the host where the backend
// allows, as the Go backend does: one copy from the file, none after).
func New(backend compute.Backend, cfg *Config, w *Weights) (*Model, error) {
	m := &Model{Config: cfg, backend: backend, lmHead: "wte.weight"}
	if _, ok := w.Shapes["lm_head.weight"]; ok {
		m.lmHead = "lm_head.weight"
	}
	m.names = slices.Clone(w.Names)
	m.weights = make([]*tensors.Tensor, len(m.names))
	err := decoder.ForEach(len(m.names), func(i int) (err error) {
		m.weights[i], err = m.newWeight(w, m.names[i])
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := m.addHeadColumns(); err != nil {
		return nil, err
	}
	return m, nil
}

// newWeight decodes parameter name into a tensor on the model's backend.
func (m *Model) newWeight(w *Weights, name string) (*tensors.Tensor, error) {
	t, err := decoder.NewWeight(m.backend, w.Shapes[name], func(dst []float32) error { return w.read(name, dst) })
	if err != nil {
		return nil, fmt.Errorf("gpt2: %q: %w", name, err)
	}
	return t, nil
}

// addHeadColumns adds the LM head's [D, V] copy (see decoder.HeadColumns).
func (m *Model) addHeadColumns() error {
	columns, err := decoder.Transposed(m.backend, m.weights[slices.Index(m.names, m.lmHead)])
	if err != nil {
		return fmt.Errorf("gpt2: the LM head's [D, V] copy: %w", err)
	}
	m.names, m.weights = append(m.names, decoder.HeadColumns), append(m.weights, columns)
	return nil
}

// Backend is the GoMLX backend the model runs on.
func (m *Model) Backend() compute.Backend { return m.backend }

// params maps the first len(m.names) graph parameters to their keys; it returns the rest.
func (m *Model) params(nodes []*Node) (params, []*Node) {
	p := make(params, len(m.names))
	for i, name := range m.names {
		p[name] = nodes[i]
	}
	return p, nodes[len(m.names):]
}

// body runs the transformer over new positions. embeds [B, T, D] are token-embedding rows,
// positions [T] (int32) their absolute positions, past the cache of earlier positions (nil for
// none). It returns the final hidden state [B, T, D] (after ln_f), HuggingFace's hidden_states
// (L+1 of [B, T, D]: embeddings, blocks 0..L-2, ln_f(block L-1)), each block's FFN neurons
// (L of [B, T, N], the input of mlp.c_proj) and the extended cache; tap edits the neurons and
// records attention (nil: neither).
func (m *Model) body(p params, embeds, positions *Node, past []kv, tap *decoder.Tap) (final *Node, hidden, ffn []*Node, present []kv) {
	cfg := m.Config
	x := m.addPositions(p, embeds, positions)
	hidden = append(hidden, x)
	for i := range cfg.NLayer {
		var cache *kv
		if past != nil {
			cache = &past[i]
		}
		var neurons *Node
		var next kv
		x, neurons, next = m.tappedBlock(p, i, x, cache, tap)
		present, ffn = append(present, next), append(ffn, neurons)
		if i < cfg.NLayer-1 {
			hidden = append(hidden, x)
		}
	}
	final = p.layerNorm("ln_f.", x, cfg.LayerNormEpsilon)
	hidden = append(hidden, final)
	return final, hidden, ffn, present
}

// addPositions adds the position embeddings of positions [T] to embeds [B, T, D].
func (m *Model) addPositions(p params, embeds, positions *Node) *Node {
	t := positions.Shape().Dimensions[0]
	return Add(embeds, Reshape(Gather(p["wpe.weight"], Reshape(positions, t, 1)), 1, t, m.Config.NEmbd))
}

// block runs transformer block i over x [B, T, D]: it returns the new residual stream, the FFN
// neurons [B, T, N] and the attention cache extended by these positions.
func (m *Model) block(p params, i int, x *Node, past *kv) (*Node, *Node, kv) {
	return m.tappedBlock(p, i, x, past, nil)
}

// tappedBlock is block with tap's neuron edits (before c_proj reads them) and attention record.
func (m *Model) tappedBlock(p params, i int, x *Node, past *kv, tap *decoder.Tap) (*Node, *Node, kv) {
	eps, layer := m.Config.LayerNormEpsilon, fmt.Sprintf("h.%d.", i)
	a, next := m.attention(p, layer, p.layerNorm(layer+"ln_1.", x, eps), past, tap.Recorder(i))
	x = Add(x, a)
	neurons := tap.Neurons(i, activations[m.Config.Activation](p.linear(layer+"mlp.c_fc.", p.layerNorm(layer+"ln_2.", x, eps))))
	return Add(x, p.linear(layer+"mlp.c_proj.", neurons)), neurons, next
}

// logits applies the LM head: h [..., D] -> [..., V].
func (m *Model) logits(p params, h *Node) *Node { return decoder.HeadLogits(p[decoder.HeadColumns], h) }

// embed gathers token-embedding rows: ids [B, T] (int32) -> [B, T, D].
func (m *Model) embed(p params, ids *Node) *Node {
	return Gather(p["wte.weight"], InsertAxes(ids, -1))
}
