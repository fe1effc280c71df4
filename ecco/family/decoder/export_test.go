package decoder

import (
	"slices"

	"github.com/ecco-go/ecco/ecco/family"
)

// AutodiffGradients is EmbeddingGradients through GoMLX's autodiff, with edits: the oracle of
// the external tests.
func (m *Model) AutodiffGradients(embeds []float32, batch int, targets []family.Target, coef []float32, edits []family.Edit) (probs, grads [][]float32, err error) {
	return m.embeddingGradients(embeds, batch, targets, coef, edits, true)
}

// WithoutHeadColumns is m as a model over copyLimit holds it: without the head's [D, V] copy.
func (m *Model) WithoutHeadColumns() *Model {
	i := slices.Index(m.names, HeadColumns)
	return &Model{info: m.info, arch: m.arch, backend: m.backend, size: m.size,
		names: slices.Delete(slices.Clone(m.names), i, i+1), weights: slices.Delete(slices.Clone(m.weights), i, i+1)}
}
