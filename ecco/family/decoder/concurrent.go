package decoder

import (
	"errors"
	"sync"

	"github.com/ecco-go/ecco/ecco/family"
)

// Two executions at once. compute v0.1.6 runs the ops of a graph one at a time and only the
// matrix products use both cores: the element-wise work of a backward pass (norm and softmax
// derivatives, transposes, broadcasts) leaves a core idle. So a call runs as two executions on
// two goroutines: a batch of two or more sequences (integrated gradients) split in two, each
// half with every target; a single sequence with two or more passes split where the backward
// rows balance, the earlier targets' forward pass over their own prefix only (BENCHMARKS.md).

// batchedGradients is sortedGradients through the hand-written backward pass, as two concurrent
// executions where it can.
func (m *Model) batchedGradients(embeds []float32, batch, t int, pos32, ids32 []int32, coef []float32, edits []family.Edit) (probs, grads [][]float32, err error) {
	if live := batch - idleRows(coef); live >= 2 {
		return m.rowHalves(embeds, batch, t, pos32, ids32, coef, edits, (live+1)/2)
	}
	if cut := m.splitPoint(pos32, batch-idleRows(coef), t); cut > 0 {
		return m.targetHalves(embeds, batch, t, pos32, ids32, coef, edits, cut)
	}
	return m.sortedGradients(embeds, batch, t, pos32, ids32, coef, edits, false)
}

// both runs first on a new goroutine and second on this one.
func both(first, second func() error) error {
	var wg sync.WaitGroup
	var firstErr error
	wg.Go(func() { firstErr = first() })
	err := second()
	wg.Wait()
	return errors.Join(firstErr, err)
}

// rowHalves runs the first rows sequences of the batch and the others concurrently, every
// target in each.
func (m *Model) rowHalves(embeds []float32, batch, t int, pos32, ids32 []int32, coef []float32, edits []family.Edit, rows int) (probs, grads [][]float32, err error) {
	at := rows * t * m.info.Width
	var laterProbs, laterGrads [][]float32
	err = both(func() (err error) {
		probs, grads, err = m.sortedGradients(embeds[:at], rows, t, pos32, ids32, coef[:rows], edits, false)
		return err
	}, func() (err error) {
		laterProbs, laterGrads, err = m.sortedGradients(embeds[at:], batch-rows, t, pos32, ids32, coef[rows:], edits, false)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	for j := range probs {
		probs[j] = append(probs[j], laterProbs[j]...)
		for i, g := range laterGrads[j] {
			grads[j][i] += g
		}
	}
	return probs, grads, nil
}

// splitPoint is the number of targets (at ascending positions pos) of the first of two
// concurrent executions, or 0 for one execution. The cut may fall inside a pass: each half
// makes its own passes, and the cut balances the rows the halves run, their forward pass
// (the first half's over its own prefix) and their backward passes. Cutting only between passes
// left SmolLM's halves at 5.1 and 3.5 s (BENCHMARKS.md, "Two concurrent executions cut where
// their rows balance").
func (m *Model) splitPoint(pos []int32, b, t int) int {
	if len(m.passesOf(pos, b, t)) < 2 {
		return 0
	}
	cut, best := 0, -1
	for c := 1; c < len(pos); c++ {
		first := m.passRowsOf(pos[:c], b, int(pos[c-1])+1)
		second := m.passRowsOf(pos[c:], b, t)
		if gap := abs(first - second); best < 0 || gap < best {
			cut, best = c, gap
		}
	}
	return cut
}

// passRowsOf is the rows one execution runs for targets at ascending positions pos in a batch
// of b over t positions: the forward pass's and every backward pass's.
func (m *Model) passRowsOf(pos []int32, b, t int) int {
	rows := b * t
	for _, p := range m.passesOf(pos, b, t) {
		rows += (p[1] - p[0]) * b * p[2]
	}
	return rows
}

func abs(x int) int { return max(x, -x) }

// targetHalves runs the targets before cut, over their own prefix of embeds [B, T, D], and the
// others, over all of it, concurrently.
func (m *Model) targetHalves(embeds []float32, batch, t int, pos32, ids32 []int32, coef []float32, edits []family.Edit, cut int) (probs, grads [][]float32, err error) {
	d := m.info.Width
	early := int(pos32[cut-1]) + 1
	prefix := make([]float32, 0, batch*early*d)
	for b := range batch {
		prefix = append(prefix, embeds[b*t*d:(b*t+early)*d]...)
	}
	var firstProbs, firstGrads [][]float32
	err = both(func() (err error) {
		firstProbs, firstGrads, err = m.sortedGradients(prefix, batch, early, pos32[:cut], ids32[:cut], coef, edits, false)
		return err
	}, func() (err error) {
		probs, grads, err = m.sortedGradients(embeds, batch, t, pos32[cut:], ids32[cut:], coef, edits, false)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	for j, g := range firstGrads { // zero beyond the earlier prefix
		firstGrads[j] = append(g, make([]float32, (t-early)*d)...)
	}
	return append(firstProbs, probs...), append(firstGrads, grads...), nil
}
