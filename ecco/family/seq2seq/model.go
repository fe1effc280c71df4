package seq2seq

import (
	"fmt"
	"slices"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/decoder"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
)

// Model is a family.Seq2Seq made of an Arch and its weights.
type Model struct {
	info, encInfo family.Info
	arch          *Arch
	start         int
	backend       compute.Backend
	names         []string          // weight keys, in the order graphs take them as parameters
	weights       []*tensors.Tensor // same order

	execs decoder.Execs[execKind]
}

var _ family.Seq2Seq = (*Model)(nil)

// execKind names a computation whose outputs are not fixed by its input shapes.
type execKind struct {
	name                         string // "encode", "step", "embed", "grad", "lmhead"
	hidden, ffn, attention, past bool
	norm                         bool // "lmhead": apply the decoder's final norm first
}

// New decodes the weights onto backend (nn.Linear weights transposed, see decoder.Spec.Linear)
// and adds the Sinusoidal position tables the stacks name, which checkpoints need not store.
// info and encInfo describe the decoder and encoder stacks; start is the decoder's first id.
func New(backend compute.Backend, info, encInfo family.Info, arch *Arch, start int, w *decoder.Weights) (*Model, error) {
	m := &Model{info: info, encInfo: encInfo, arch: arch, start: start, backend: backend}
	var err error
	if m.names, m.weights, err = w.Upload(backend, info.ModelType); err != nil {
		return nil, err
	}
	if err := m.addHeadColumns(); err != nil {
		return nil, err
	}
	for _, s := range []*Side{&arch.Encoder, &arch.Decoder} {
		if s.Positions.Kind != Sinusoidal {
			continue
		}
		table, err := decoder.NewWeight(backend, []int{s.Positions.Limit, info.Width}, func(dst []float32) error {
			copy(dst, Sinusoid(s.Positions.Limit, info.Width))
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("%s: the sinusoidal position table: %w", info.ModelType, err)
		}
		m.names, m.weights = append(m.names, s.Positions.Table), append(m.weights, table)
	}
	return m, nil
}

// addHeadColumns adds the head's [D, V] copy (decoder.HeadColumns) that every decoding step's
// logits read, for the reason decoder.HeadColumns gives; a model of more than a GiB of weights
// goes without, memory mattering more there.
func (m *Model) addHeadColumns() error {
	size := 0
	for _, t := range m.weights {
		size += t.Shape().Size() * 4
	}
	i := slices.Index(m.names, m.arch.Head)
	if size > 1<<30 || i < 0 {
		return nil
	}
	columns, err := decoder.Transposed(m.backend, m.weights[i])
	if err != nil {
		return m.errorf("the LM head's [D, V] copy: %w", err)
	}
	m.names, m.weights = append(m.names, decoder.HeadColumns), append(m.weights, columns)
	return nil
}

// Info describes the decoder stack.
func (m *Model) Info() family.Info { return m.info }

// EncoderInfo describes the encoder stack.
func (m *Model) EncoderInfo() family.Info { return m.encInfo }

// Backend is the GoMLX backend the model runs on.
func (m *Model) Backend() compute.Backend { return m.backend }

// DecoderStart is the id the decoder starts from.
func (m *Model) DecoderStart() int { return m.start }

// params maps the first len(m.names) graph parameters to their keys; it returns the rest.
func (m *Model) params(nodes []*Node) (decoder.Params, []*Node) { return decoder.Bind(m.names, nodes) }

// run executes kind's graph (built by build on first use) on the weights followed by inputs.
func (m *Model) run(kind execKind, build func([]*Node) []*Node, inputs ...any) ([]*tensors.Tensor, error) {
	e, err := m.execs.Get(m.backend, kind, kind.name, build)
	if err != nil {
		return nil, m.errorf("%w", err)
	}
	return m.exec(e, inputs...)
}

func (m *Model) exec(e *graph.Exec, inputs ...any) ([]*tensors.Tensor, error) {
	outs, err := decoder.Run(e, m.weights, inputs...)
	if err != nil {
		return nil, m.errorf("%w", err)
	}
	return outs, nil
}

// errorf is fmt.Errorf with the model_type in front.
func (m *Model) errorf(format string, args ...any) error {
	return fmt.Errorf(m.info.ModelType+": "+format, args...)
}

// ids converts token ids for a graph, checking them against the vocabulary.
func (m *Model) ids(ids []int) (*tensors.Tensor, error) {
	ids32, err := decoder.TokenIDs(m.info.ModelType, ids, m.info.Vocab)
	if err != nil {
		return nil, err
	}
	return tensors.FromFlatDataAndDimensions(ids32, 1, len(ids32)), nil
}

// positionInputs are the inputs that place t new tokens of stack s after past: their positions
// [t] and, for a Relative stack, the buckets [t, past+t].
func (s *Side) positionInputs(past, t int) []any {
	pos := make([]int32, t)
	for i := range pos {
		pos[i] = int32(past + i)
	}
	in := []any{tensors.FromFlatDataAndDimensions(pos, t)}
	if s.Positions.Kind == Relative {
		in = append(in, tensors.FromFlatDataAndDimensions(s.Positions.bucketTable(past, t, past+t), t, past+t))
	}
	return in
}

// runInputs binds positionInputs' nodes: it fills r's positions and buckets and returns the rest.
func (s *Side) runInputs(r *run, in []*Node) []*Node {
	r.positions, in = in[0], in[1:]
	if s.Positions.Kind == Relative {
		r.buckets, in = in[0], in[1:]
	}
	return in
}
