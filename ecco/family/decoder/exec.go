package decoder

import (
	"fmt"

	"github.com/gomlx/gomlx/core/graph"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
)

// execKind names a computation whose outputs are not fixed by its input shapes.
type execKind struct {
	name           string // "step", "embed", "grad", "lmhead"
	hidden, ffn    bool
	withPast, norm bool
	attention      bool
	edits          string // EditKey of the edits, "" for none
	ends           string // "grad": the targets' distances from the last position (passPlan)
	idle           int    // "grad": the last rows of the batch, weighted 0, left out of the backward passes
	capacity       int    // "step": the rows of the KV cache it returns (cacheCapacity)
}

// exec returns the executor of kind, building it with build on first use.
func (m *Model) exec(kind execKind, build func([]*Node) []*Node) (*graph.Exec, error) {
	e, err := m.execs.Get(m.backend, kind, kind.name, build)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", m.info.ModelType, err)
	}
	return e, nil
}

// run executes e on the weights followed by inputs.
func (m *Model) run(e *graph.Exec, inputs ...any) ([]*tensors.Tensor, error) {
	out, err := Run(e, m.weights, inputs...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", m.info.ModelType, err)
	}
	return out, nil
}

// toInt32 converts token ids and checks them against the vocabulary.
func (m *Model) toInt32(ids []int) ([]int32, error) {
	return TokenIDs(m.info.ModelType, ids, m.info.Vocab)
}

// positions returns from, from+1, ..., from+n-1 after checking they fit the context.
func (m *Model) positions(from, n int) ([]int32, error) {
	return Positions(m.info.ModelType, from, n, m.info.Positions)
}
