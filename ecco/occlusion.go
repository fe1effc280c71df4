package ecco

import (
	"fmt"

	"github.com/ecco-go/ecco/ecco/family"
)

// OcclusionOptions tunes Occlusion; nil means the defaults.
type OcclusionOptions struct {
	// Baseline is the token id whose embedding replaces each occluded token; nil: the zero
	// embedding.
	Baseline *int
}

// Occlusion scores a given continuation of prompt (forced decoding) by occluding each earlier
// token in turn: score [i][t] is p(token i) − p(token i | token t replaced by the baseline), for
// the NInput+i tokens before continuation token i; positive when the token supports the
// prediction. It also returns p(token i) itself, [G]. The Method Occlusion gives the same
// scores, with the zero baseline, wherever the gradient methods are accepted.
func (lm *LM) Occlusion(prompt, continuation string, opts *OcclusionOptions) (scores [][]float64, probs []float64, err error) {
	model, err := lm.causal()
	if err != nil {
		return nil, nil, err
	}
	ids, err := lm.Encode(prompt)
	if err != nil {
		return nil, nil, err
	}
	cont := lm.Tokenizer.Encode(continuation)
	if len(cont) == 0 {
		return nil, nil, fmt.Errorf("ecco: the continuation %q tokenizes to nothing: give the text to attribute", continuation)
	}
	n := len(ids)
	if limit := model.Info().Positions; n+len(cont)-1 > limit {
		return nil, nil, tooLong(n, len(cont)-1, limit)
	}
	baseline, err := occlusionBaseline(model, opts)
	if err != nil {
		return nil, nil, err
	}
	return occlusionScores(model, append(ids, cont...), n, baseline)
}

// occlusionBaseline is the embedding [D] that replaces an occluded token.
func occlusionBaseline(model family.Model, opts *OcclusionOptions) ([]float32, error) {
	info := model.Info()
	if opts == nil || opts.Baseline == nil {
		return make([]float32, info.Width), nil
	}
	id := *opts.Baseline
	if id < 0 || id >= info.Vocab {
		return nil, fmt.Errorf("ecco: OcclusionOptions.Baseline %d: want a token id in [0, %d)", id, info.Vocab)
	}
	return model.Embeddings([]int{id})
}

// occlusionScores scores tokens n..len(ids)−1 of ids. One batch holds the unchanged sequence
// then, per position, the sequence with that position's embedding replaced by baseline; every
// continuation token is a target of the same batch (occluding a later position cannot change
// an earlier target, causally, and its score is not reported).
func occlusionScores(model family.Model, ids []int, n int, baseline []float32) (scores [][]float64, probs []float64, err error) {
	f, err := removedProbs(model, ids, n, baseline, occlusionRows(len(ids)-1))
	if err != nil {
		return nil, nil, err
	}
	for j, row := range f {
		full := row[0]
		s := make([]float64, n+j)
		for p := range s {
			s[p] = full - row[1+p]
		}
		scores = append(scores, s)
		probs = append(probs, full)
	}
	return scores, probs, nil
}

// occlusionRows lists, for a sequence of t positions, the positions each row of an occlusion
// batch replaces: row 0 none (the sequence as it is), row r > 0 position r−1.
func occlusionRows(t int) [][]int {
	rows := make([][]int, t+1)
	for r := 1; r < len(rows); r++ {
		rows[r] = []int{r - 1}
	}
	return rows
}

// occludedRows stacks rows from..to−1 of an occlusion batch over embeds [T, d] (see
// occlusionRows).
func occludedRows(embeds, baseline []float32, d, from, to int) []float32 {
	return removedRows(embeds, baseline, d, occlusionRows(len(embeds)/d), from, to)
}
