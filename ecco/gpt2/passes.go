package gpt2

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// How the batched backward pass (backward.go) splits the targets of one call.
//
// One forward pass serves every target, but a target at position p needs a backward pass over
// positions 0..p only (the causal mask). The targets, by position, go in passes; each pass runs
// over its last target's prefix. Fewer, larger passes make larger matrix products (compute
// packs each weight once per product); smaller ones waste fewer rows beyond their targets'
// positions. So a pass takes just enough targets for about passRows rows (targets × batch ×
// positions), at most targetsPerPass: for grad×input (B = 1, 30–60 positions) 6 targets and
// 15 wasted rows in 270; for integrated gradients (α chunks of 13, 37 positions) 3 targets.
// Measured, integrated gradients for 10 tokens on DistilGPT2 (wall, 2 cores, load 1.3–1.5):
// passRows 768: 16.5–17.5 s, 1536: 15.1–15.2 s, 3072: 15.1–15.3 s.
//
// Cutting needs the positions fixed when the graph is built: the executor is keyed by the
// targets' distances from the last position (for ecco's groups of consecutive generated tokens
// the same key at every length); past maxPlans keys, one pass over all positions.

const (
	targetsPerPass = 6
	passRows       = 1536
	maxPlans       = 32
)

// TargetsPerCall is how many targets EmbeddingGradients should get per call: all of a
// generation's, up to this bound, share one forward pass and split into passes by prefix.
// Measured on DistilGPT2, 35 tokens after 28: one call instead of groups of 6 runs 62 forward
// rows instead of 287 (about 19 GFLOP less).
func (m *Model) TargetsPerCall() int { return 64 }

// passPlan returns the key of ascending target positions pos in t positions.
func (m *Model) passPlan(pos []int32, t, idle int) string {
	ends := make([]string, len(pos))
	for j, p := range pos {
		ends[j] = strconv.Itoa(t - 1 - int(p))
	}
	key := strings.Join(ends, ",")
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.execs[execKind{name: "grad", ends: key, idle: idle}]; ok {
		return key
	}
	plans := 0
	for kind := range m.execs {
		if kind.name == "grad" {
			plans++
		}
	}
	if plans >= maxPlans {
		return ""
	}
	return key
}

// planPasses decodes a passPlan key for t positions of a batch of b: the target positions and
// the passes, each {from, to, prefix}.
func planPasses(key string, b, t int) (pos []int32, passes [][3]int) {
	for _, field := range strings.Split(key, ",") {
		end, err := strconv.Atoi(field)
		if err != nil || end < 0 || end >= t {
			panic(fmt.Sprintf("gpt2: bad pass plan %q for %d positions", key, t))
		}
		pos = append(pos, int32(t-1-end))
	}
	return pos, passesOf(pos, b, t)
}

// passesOf splits targets at ascending positions pos, in a batch of b over t positions, into
// backward passes, each {from, to, prefix}.
func passesOf(pos []int32, b, t int) (passes [][3]int) {
	size := min(targetsPerPass, max(1, passRows/(b*t)))
	for from := 0; from < len(pos); from += size {
		to := min(from+size, len(pos))
		passes = append(passes, [3]int{from, to, int(pos[to-1]) + 1})
	}
	return passes
}

// Two executions at once. compute v0.1.6 runs the ops of a graph one at a time (ecco's backends
// use ops_sequential: its parallel executor deadlocks on attribution graphs), and only the matrix
// products use both cores: the element-wise work of a backward pass (layer-norm and softmax
// derivatives, transposes, broadcasts, about a third of its CPU time) leaves a core idle. So a
// call with two or more passes runs as two executions on two goroutines, split where the
// backward rows balance; the earlier half runs its forward pass over its own prefix only.

// splitPoint is the number of targets (at ascending positions pos) of the first of two
// concurrent executions, or 0 for one execution.
func splitPoint(pos []int32, b, t int) int {
	passes := passesOf(pos, b, t)
	if len(passes) < 2 {
		return 0
	}
	total := 0
	for _, p := range passes {
		total += (p[1] - p[0]) * p[2]
	}
	done := 0
	for _, p := range passes[:len(passes)-1] {
		done += (p[1] - p[0]) * p[2]
		if 2*done >= total {
			return p[1]
		}
	}
	return passes[len(passes)-2][1]
}

// halvesGradients is sortedGradients as two concurrent executions: the targets before cut over
// their own prefix of embeds [B, T, D], the others over all of it.
func (m *Model) halvesGradients(embeds []float32, batch, t int, pos32, ids32 []int32, coef []float32, cut int) (probs, grads [][]float32, err error) {
	d := m.Config.NEmbd
	early := int(pos32[cut-1]) + 1
	prefix := make([]float32, 0, batch*early*d)
	for b := range batch {
		prefix = append(prefix, embeds[b*t*d:(b*t+early)*d]...)
	}
	var wg sync.WaitGroup
	var firstProbs, firstGrads [][]float32
	var firstErr error
	wg.Go(func() {
		firstProbs, firstGrads, firstErr = m.sortedGradients(prefix, batch, early, pos32[:cut], ids32[:cut], coef, false)
	})
	probs, grads, err = m.sortedGradients(embeds, batch, t, pos32[cut:], ids32[cut:], coef, false)
	wg.Wait()
	if err = errors.Join(firstErr, err); err != nil {
		return nil, nil, err
	}
	for j, g := range firstGrads { // zero beyond the earlier prefix
		firstGrads[j] = append(g, make([]float32, (t-early)*d)...)
	}
	return append(firstProbs, probs...), append(firstGrads, grads...), nil
}
