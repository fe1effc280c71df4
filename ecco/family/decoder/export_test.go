package decoder

import (
	"slices"
	"strings"

	"github.com/ecco-go/ecco/ecco/family"
)

// AutodiffGradients is EmbeddingGradients through GoMLX's autodiff, with edits: the oracle of
// the external tests.
func (m *Model) AutodiffGradients(embeds []float32, batch int, targets []family.Target, coef []float32, edits []family.Edit) (probs, grads [][]float32, err error) {
	return m.embeddingGradients(embeds, batch, targets, coef, edits, true)
}

// WithHeadColumns is m also holding the head's [D, V] copy (HeadColumns), as a model up to
// copyLimit does on a backend without row blocks.
func (m *Model) WithHeadColumns() (*Model, error) {
	columns, err := Transposed(m.backend, m.weights[slices.Index(m.names, m.arch.Head)])
	if err != nil {
		return nil, err
	}
	return &Model{info: m.info, arch: m.arch, backend: m.backend, size: m.size,
		names: append(slices.Clone(m.names), HeadColumns), weights: append(slices.Clone(m.weights), columns)}, nil
}

// WithoutRowBlocks is m without its weights' row blocks (RowBlock), as on a backend without
// them, and without the head's copy, as a model over copyLimit there.
func (m *Model) WithoutRowBlocks() *Model {
	out := &Model{info: m.info, arch: m.arch, backend: m.backend, size: m.size}
	for i, name := range m.names {
		if !strings.Contains(name, RowBlock) && name != HeadColumns {
			out.names, out.weights = append(out.names, name), append(out.weights, m.weights[i])
		}
	}
	return out
}
