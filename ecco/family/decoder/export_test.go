package decoder

import "github.com/ecco-go/ecco/ecco/family"

// AutodiffGradients is EmbeddingGradients through GoMLX's autodiff, with edits: the oracle of
// the external tests.
func (m *Model) AutodiffGradients(embeds []float32, batch int, targets []family.Target, coef []float32, edits []family.Edit) (probs, grads [][]float32, err error) {
	return m.embeddingGradients(embeds, batch, targets, coef, edits, true)
}
