package bert

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/decoder"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/core/tensors"
)

// Model is an encoder of one of the archs, with its MLM head when the checkpoint has one.
type Model struct {
	cfg     *Config
	head    bool
	backend compute.Backend
	names   []string          // weight keys, in the order graphs take them as parameters
	weights []*tensors.Tensor // same order

	execs decoder.Execs[string]
}

var _ family.Encoder = (*Model)(nil)

// New puts the weights (under the bare encoder's names) on backend; head says whether they
// include the MLM head. Each weight is decoded straight into its backend buffer
// (decoder.NewWeight); nn.Linear weights are transposed to [in, out] on the way and keyed
// name+decoder.InOut, the layout whose products take the backend's SIMD path (see
// decoder.Spec.Linear).
func New(backend compute.Backend, cfg *Config, head bool, w *decoder.Weights) (*Model, error) {
	m := &Model{cfg: cfg, head: head, backend: backend, names: slices.Clone(w.Names)}
	m.weights = make([]*tensors.Tensor, len(w.Names))
	err := decoder.ForEach(len(w.Names), func(i int) (err error) {
		name := w.Names[i]
		shape := w.Shapes[name]
		read := func(dst []float32) error { return w.Read(name, dst) }
		if cfg.isLinear(name, shape) {
			out, in := shape[0], shape[1]
			m.names[i], shape = name+decoder.InOut, []int{in, out}
			read = func(dst []float32) error {
				stored := make([]float32, len(dst))
				if err := w.Read(name, stored); err != nil {
					return err
				}
				transpose(dst, stored, out, in)
				return nil
			}
		}
		if m.weights[i], err = decoder.NewWeight(backend, shape, read); err != nil {
			return fmt.Errorf("%s: %q: %w", cfg.Arch.ModelType, name, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// isLinear reports whether the weight name of shape is an nn.Linear weight [out, in]: every
// matrix but the embedding tables.
func (c *Config) isLinear(name string, shape []int) bool {
	a := c.Arch
	return len(shape) == 2 && strings.HasSuffix(name, ".weight") && name != a.Word && name != a.Position && name != a.TokenType
}

// transpose writes src [rows, cols] into dst as [cols, rows].
func transpose(dst, src []float32, rows, cols int) {
	for r := range rows {
		for c, v := range src[r*cols : (r+1)*cols] {
			dst[c*rows+r] = v
		}
	}
}

// Info describes the architecture.
func (m *Model) Info() family.Info { return m.cfg.Info() }

// Backend is the GoMLX backend the model runs on.
func (m *Model) Backend() compute.Backend { return m.backend }

// HasMLMHead reports whether the checkpoint carried the masked-LM head.
func (m *Model) HasMLMHead() bool { return m.head }

// params maps the first len(m.names) graph parameters to their keys; it returns the rest.
func (m *Model) params(nodes []*Node) (decoder.Params, []*Node) { return decoder.Bind(m.names, nodes) }

// exec returns the executor named kind, building it with build on first use.
func (m *Model) exec(kind string, build func([]*Node) []*Node) (*graph.Exec, error) {
	e, err := m.execs.Get(m.backend, kind, kind, build)
	if err != nil {
		return nil, m.errorf("%w", err)
	}
	return e, nil
}

// run executes the computation kind (built by build) on the weights followed by inputs and
// returns its outputs as float32 buffers.
func (m *Model) run(kind string, build func([]*Node) []*Node, inputs ...any) ([][]float32, error) {
	e, err := m.exec(kind, build)
	if err != nil {
		return nil, err
	}
	outs, err := decoder.Run(e, m.weights, inputs...)
	if err != nil {
		return nil, m.errorf("%s: %w", kind, err)
	}
	flat := make([][]float32, len(outs))
	for i, t := range outs {
		if flat[i], err = tensors.CopyFlatData[float32](t); err != nil {
			return nil, m.errorf("reading the results of %s: %w", kind, err)
		}
	}
	return flat, nil
}

// checkIDs converts token ids, checking them against the vocabulary and the positions.
func (m *Model) checkIDs(ids []int) ([]int32, error) {
	if len(ids) == 0 {
		return nil, m.errorf("no tokens to run: give at least one token")
	}
	if err := m.checkLength(len(ids)); err != nil {
		return nil, err
	}
	return decoder.TokenIDs(m.cfg.Arch.ModelType, ids, m.cfg.Vocab)
}

// checkLength refuses texts longer than the position table allows.
func (m *Model) checkLength(t int) error {
	if t <= m.cfg.usable() {
		return nil
	}
	if m.cfg.PosOffset > 0 {
		return m.errorf("%d tokens exceed the model's %d positions (max_position_embeddings %d less pad_token_id + 1)", t, m.cfg.usable(), m.cfg.Positions)
	}
	return m.errorf("%d tokens exceed the model's %d positions (max_position_embeddings)", t, m.cfg.Positions)
}

// errorf is fmt.Errorf with the family's model_type in front.
func (m *Model) errorf(format string, args ...any) error {
	return fmt.Errorf(m.cfg.Arch.ModelType+": "+format, args...)
}
