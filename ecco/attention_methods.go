package ecco

import (
	"fmt"
	"slices"

	"github.com/ecco-go/ecco/display"
)

// isAttentionMethod reports whether m reads the captured attention instead of gradients.
func isAttentionMethod(m Method) bool { return m == LastLayerAttention || m == AttentionRollout }

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
	results := map[Method][][]float64{}
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
// by R's row of query nInput+i−1 over keys 0..nInput+i−1: [G][nInput+i]. Only the needed rows
// are carried (row vectors times each Â from the last layer down), G·T² per layer instead of T³.
func rolloutScores(att [][][][]float32, nInput int) [][]float64 {
	t := len(att[0][0])
	if nInput < 1 || nInput >= t {
		return nil
	}
	queries := t - nInput // queries nInput−1 .. t−2
	rows := make([][]float64, queries)
	for i := range rows {
		rows[i] = mixedRow(att[len(att)-1], nInput-1+i)
	}
	mixed := make([][]float64, t) // Â of the current layer, row by row
	for l := len(att) - 2; l >= 0; l-- {
		for q := range mixed {
			mixed[q] = mixedRow(att[l], q)
		}
		for i, row := range rows {
			next := make([]float64, t)
			for q, w := range row {
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
	scores := make([][]float64, queries)
	for i, row := range rows {
		scores[i] = slices.Clip(row[:nInput+i])
	}
	return scores
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
