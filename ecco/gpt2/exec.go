package gpt2

import (
	"fmt"

	"github.com/ecco-go/ecco/ecco/family/decoder"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// execKind names a computation whose outputs are not fixed by its input shapes.
type execKind struct {
	name          string // "step", "embed", "grad", "lmhead"
	hidden, ffn   bool
	withPast, lnf bool
	attention     bool
	edits         string // decoder.EditKey of the edits, "" for none
	ends          string // "grad": the targets' distances from the last position (see passPlan)
	idle          int    // "grad": the last rows of the batch, weighted 0, left out of the backward passes
}

// exec returns the executor of kind, building it with build on first use.
func (m *Model) exec(kind execKind, build func([]*graph.Node) []*graph.Node) (*graph.Exec, error) {
	e, err := m.execs.Get(m.backend, kind, kind.name, build)
	if err != nil {
		return nil, fmt.Errorf("gpt2: %w", err)
	}
	return e, nil
}

// run executes e on the weights followed by inputs.
func (m *Model) run(e *graph.Exec, inputs ...any) ([]*tensors.Tensor, error) {
	out, err := decoder.Run(e, m.weights, inputs...)
	if err != nil {
		return nil, fmt.Errorf("gpt2: %w", err)
	}
	return out, nil
}

// toInt32 converts token ids and checks them against the vocabulary.
func (m *Model) toInt32(ids []int) ([]int32, error) {
	return decoder.TokenIDs("gpt2", ids, m.Config.VocabSize)
}

// positions returns from, from+1, ..., from+n-1 after checking they fit n_positions.
func (m *Model) positions(from, n int) ([]int32, error) {
	return decoder.Positions("gpt2", from, n, m.Config.NPositions)
}
