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
	out := make([]int32, len(ids))
	for i, id := range ids {
		if id < 0 || id >= m.Config.VocabSize {
			return nil, fmt.Errorf("gpt2: token id %d at index %d is outside the vocabulary [0, %d)", id, i, m.Config.VocabSize)
		}
		out[i] = int32(id)
	}
	return out, nil
}

// positions returns from, from+1, ..., from+n-1 after checking they fit n_positions.
func (m *Model) positions(from, n int) ([]int32, error) {
	if n == 0 {
		return nil, fmt.Errorf("gpt2: no tokens to run: give at least one token")
	}
	if from+n > m.Config.NPositions {
		return nil, fmt.Errorf("gpt2: %d tokens exceed the model's context of n_positions=%d", from+n, m.Config.NPositions)
	}
	pos := make([]int32, n)
	for i := range pos {
		pos[i] = int32(from + i)
	}
	return pos, nil
}

// vocabRows cuts flat [n, Vp] logits into n rows of the true vocabulary size.
func (m *Model) vocabRows(flat []float32, n int) [][]float32 {
	rows := split(flat, n)
	for i, r := range rows {
		rows[i] = r[:m.Config.VocabSize:m.Config.VocabSize]
	}
	return rows
}

// split cuts a flat row-major [n, rest...] buffer into n rows of size len/n.
func split(flat []float32, n int) [][]float32 {
	rows := make([][]float32, n)
	size := len(flat) / n
	for i := range rows {
		rows[i] = flat[i*size : (i+1)*size : (i+1)*size]
	}
	return rows
}
