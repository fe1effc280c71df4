package ecco

import (
	"fmt"
	"slices"

	"github.com/ecco-go/ecco/display"
)

// isAttentionMethod reports whether m reads the attention (its probabilities, or value zeroing's
// context mixing) instead of gradients of the target.
func isAttentionMethod(m Method) bool {
	return m == LastLayerAttention || m == AttentionRollout || m == ValueZeroing
}

// attentionAttributions fills in the attention methods among missing from the Output's
// attention, computing it first (one forward pass, with the attached model) when it is absent.
// Callers hold o.lazy.
func (o *Output) attentionAttributions(missing []Method) (map[Method][][]float64, error) {
	var wanted []Method
	for _, m := range missing {
		if isAttentionMethod(m) {
			wanted = append(wanted, m)
		}
	}
	if len(wanted) == 0 {
		return nil, nil
	}
	results := map[Method][][]float64{}
	if slices.Contains(wanted, ValueZeroing) {
		scores, err := o.valueZeroingScores()
		if err != nil {
			return nil, err
		}
		results[ValueZeroing] = scores
		if wanted = slices.DeleteFunc(wanted, func(m Method) bool { return m == ValueZeroing }); len(wanted) == 0 {
			return results, nil
		}
	}
	if lm := o.model(); lm != nil {
		if _, err := lm.causal(); err != nil {
			return nil, fmt.Errorf("ecco: attribution %v: %w", wanted, err)
		}
	}
	att, err := o.attentionLocked()
	if err != nil {
		return nil, err
	}
	// A loaded file's attention may be malformed; the head view's check covers shape and range.
	if err := (display.HeadView{Tokens: o.displayTokens(), Attention: att}).Validate(); err != nil {
		return nil, fmt.Errorf("ecco: attribution %v from the Output's attention: %w", wanted, err)
	}
	for _, m := range wanted {
		if m == LastLayerAttention {
			results[m] = lastLayerScores(att, o.NInput)
		} else {
			results[m] = rolloutScores(att, o.NInput)
		}
	}
	return results, nil
}

// headMean is the head average of one layer's attention at query q, [T] in float64.
func headMean(layer [][][]float32, q int) []float64 {
	row := make([]float64, len(layer[0][q]))
	for _, head := range layer {
		for k, p := range head[q] {
			row[k] += float64(p)
		}
	}
	for k := range row {
		row[k] /= float64(len(layer))
	}
	return row
}

// lastLayerScores scores generated token i (position nInput+i, predicted at query nInput+i−1)
// by the head-averaged last-layer attention of that query over keys 0..nInput+i−1: [G][nInput+i].
func lastLayerScores(att [][][][]float32, nInput int) [][]float64 {
	last := att[len(att)-1]
	var scores [][]float64
	for p := nInput; p < len(last[0]); p++ {
		scores = append(scores, slices.Clip(headMean(last, p-1)[:p]))
	}
	return scores
}

// rolloutScores is attention rollout (Abnar & Zuidema 2020): with Â_l = 0.5·mean_heads(A_l) +
// 0.5·I, rows renormalised to sum 1, the rollout R = Â_L ··· Â_1, and generated token i scored
// by R's row of query nInput+i−1 over keys 0..nInput+i−1: [G][nInput+i].
func rolloutScores(att [][][][]float32, nInput int) [][]float64 {
	return predictingRows(nInput, len(att[0][0]), func(queries []int) [][]float64 {
		return attentionRollout(att, queries)
	})
}

// attentionRollout returns the rows of queries of R = Â_L ··· Â_1 (see rolloutScores).
func attentionRollout(att [][][][]float32, queries []int) [][]float64 {
	return rollout(len(att), len(att[0][0]), func(l, q int) []float64 { return mixedRow(att[l], q) }, queries)
}

// predictingRows scores generated token i by row nInput+i−1 (the query predicting it) of the
// rows of a t-token sequence, cut to keys 0..nInput+i−1: [G][nInput+i], G = t − nInput (nil
// when nothing was generated).
func predictingRows(nInput, t int, rows func(queries []int) [][]float64) [][]float64 {
	if nInput < 1 || nInput >= t {
		return nil
	}
	queries := make([]int, t-nInput)
	for i := range queries {
		queries[i] = nInput - 1 + i
	}
	scores := rows(queries)
	for i, row := range scores {
		scores[i] = slices.Clip(row[:nInput+i])
	}
	return scores
}

// rollout returns the rows of queries of R = M_L ··· M_1, M_l the [t, t] matrix whose row q is
// row(l, q). Only the needed rows are carried (row vectors times each M from the last layer
// down), len(queries)·t² per layer instead of t³.
func rollout(layers, t int, row func(l, q int) []float64, queries []int) [][]float64 {
	rows := make([][]float64, len(queries))
	for i, q := range queries {
		rows[i] = row(layers-1, q)
	}
	mixed := make([][]float64, t) // M of the current layer, row by row
	for l := layers - 2; l >= 0; l-- {
		for q := range mixed {
			mixed[q] = row(l, q)
		}
		for i, r := range rows {
			next := make([]float64, t)
			for q, w := range r {
				if w == 0 {
					continue
				}
				for k, a := range mixed[q] {
					next[k] += w * a
				}
			}
			rows[i] = next
		}
	}
	return rows
}

// mixedRow is row q of Â = 0.5·mean_heads(A) + 0.5·I, renormalised to sum 1.
func mixedRow(layer [][][]float32, q int) []float64 {
	row := headMean(layer, q)
	var sum float64
	for k := range row {
		row[k] *= 0.5
		if k == q {
			row[k] += 0.5
		}
		sum += row[k]
	}
	for k := range row {
		row[k] /= sum
	}
	return row
}
