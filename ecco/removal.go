package ecco

import (
	"github.com/ecco-go/ecco/ecco/family"
)

// removedProbs runs one batch over ids (forced decoding) in which each row is the sequence with
// the token embeddings at rows[r]'s positions replaced by baseline [D] (an empty row: the
// sequence as it is), and returns p(ids[first+j] | row r) as probs[j][r] for every token from
// first on. A row that replaces positions at or after a token's own does not change what the
// model saw before it only when all those positions come later (causality); callers read the
// rows that fit each token. All weights are 0, so the model runs the backward pass of the first
// row only (its idle rows), reading F of every row; the rows go in chunks that bound memory.
// Occlusion and faithfulness share it, so both remove a token the same way.
func removedProbs(model family.Model, ids []int, first int, baseline []float32, rows [][]int) ([][]float64, error) {
	d := model.Info().Width
	embeds, err := model.Embeddings(ids[:len(ids)-1])
	if err != nil {
		return nil, err
	}
	positions := len(ids) - 1
	var targets []family.Target
	for i := first; i < len(ids); i++ {
		targets = append(targets, family.Target{Position: i - 1, ID: ids[i]})
	}
	coef := make([]float32, len(rows))
	budget := gradientRows(model)
	chunks := (len(coef)*len(targets)*positions + budget - 1) / budget
	size := (len(coef) + chunks - 1) / chunks
	f, _, err := chunkedGradients(model, targets, coef, size, func(from, to int) []float32 {
		return removedRows(embeds, baseline, d, rows, from, to)
	})
	if err != nil {
		return nil, err
	}
	probs := make([][]float64, len(targets))
	for j := range targets {
		probs[j] = make([]float64, len(rows))
		for r, p := range f[j] {
			probs[j][r] = float64(p)
		}
	}
	return probs, nil
}

// removedRows stacks rows from..to−1 of a removal batch over embeds [T, d]: row r is embeds with
// the positions rows[r] replaced by baseline [d].
func removedRows(embeds, baseline []float32, d int, rows [][]int, from, to int) []float32 {
	batch := make([]float32, 0, (to-from)*len(embeds))
	for r := from; r < to; r++ {
		start := len(batch)
		batch = append(batch, embeds...)
		for _, p := range rows[r] {
			copy(batch[start+p*d:start+(p+1)*d], baseline)
		}
	}
	return batch
}
