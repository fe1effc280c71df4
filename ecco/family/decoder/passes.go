package decoder

import (
	"fmt"
	"strconv"
	"strings"
)

// How the batched backward pass (backward.go) splits the targets of one call.
//
// One forward pass serves every target, but a target at position p needs a backward pass over
// positions 0..p only (the causal mask). The targets, by position, go in passes; each pass runs
// over its last target's prefix. Fewer, larger passes make larger matrix products (compute
// packs each weight once per product); smaller ones waste fewer rows beyond their targets'
// positions and hold less memory. So a pass takes just enough targets for about passRows rows
// (targets × batch × positions), at most targetsPerPass.
//
// Cutting needs the positions fixed when the graph is built: the executor is keyed by the
// targets' distances from the last position (for ecco's groups of consecutive generated tokens
// the same key at every length); past maxPlans keys, one pass over all positions.

const (
	targetsPerPass = 6
	maxPlans       = 32
	// passValues bounds a pass's rows × rowWidth: 1536 rows at GPT-2's width (768 + 3072), where
	// the trade-off was measured; wider models take fewer rows, so the activations of a pass stay
	// about the same size (BENCHMARKS.md).
	passValues = 1536 * (768 + 3072)
	// tapeBytes bounds the forward tape of one EmbeddingGradients call (GradientRows): about
	// ecco's igRows at GPT-2's width, a quarter of it for models over copyLimit, where memory
	// matters more than the larger products (BENCHMARKS.md: Qwen2.5-0.5B's integrated gradients).
	tapeBytes      = 1 << 30
	largeTapeBytes = 1 << 28
)

// rowWidth is about how many values one row of one block holds in a backward pass: the residual
// stream's and the FFN's (both halves of a gated FFN).
func (m *Model) rowWidth() int {
	ffn := m.info.Neurons
	if len(m.arch.Layers) > 0 && m.arch.Layers[0].FFN.Gate != "" {
		ffn *= 2
	}
	return m.info.Width + ffn
}

// passRows is how many rows (targets × batch × positions) a backward pass should take.
func (m *Model) passRows() int { return max(128, passValues/m.rowWidth()) }

// TargetsPerCall is how many targets EmbeddingGradients should get per call: all of a
// generation's, up to this bound, share one forward pass and split into passes by prefix.
func (m *Model) TargetsPerCall() int { return 64 }

// GradientRows is how many rows (targets × batch × positions) one EmbeddingGradients call
// should take, so that its forward tape stays near tapeBytes: integrated gradients chunks its
// batch of scaled copies by it.
func (m *Model) GradientRows() int {
	l, d, kv := m.info.Layers, m.info.Width, 0
	if len(m.arch.Layers) > 0 {
		at := m.arch.Layers[0].Attention
		kv = 2 * at.KVHeads * at.HeadDim
	}
	perRow := 4 * l * (3*d + kv + m.rowWidth() - d) // two norms' rows, queries, keys and values, the FFN's slopes
	budget := tapeBytes
	if m.size > copyLimit {
		budget = largeTapeBytes
	}
	return max(256, budget/perRow)
}

// passPlan returns the key of ascending target positions pos in t positions.
func (m *Model) passPlan(pos []int32, t int, kind execKind) string {
	ends := make([]string, len(pos))
	for j, p := range pos {
		ends[j] = strconv.Itoa(t - 1 - int(p))
	}
	kind.ends = strings.Join(ends, ",")
	if m.execs.Has(kind) {
		return kind.ends
	}
	if m.execs.Count(func(k execKind) bool { return k.name == kind.name }) >= maxPlans {
		return ""
	}
	return kind.ends
}

// planPasses decodes a passPlan key for t positions of a batch of b: the target positions and
// the passes, each {from, to, prefix}.
func (m *Model) planPasses(key string, b, t int) (pos []int32, passes [][3]int) {
	for field := range strings.SplitSeq(key, ",") {
		end, err := strconv.Atoi(field)
		if err != nil || end < 0 || end >= t {
			panic(fmt.Sprintf("decoder: bad pass plan %q for %d positions", key, t))
		}
		pos = append(pos, int32(t-1-end))
	}
	return pos, m.passesOf(pos, b, t)
}

// passesOf splits targets at ascending positions pos, in a batch of b over t positions, into
// backward passes, each {from, to, prefix}.
func (m *Model) passesOf(pos []int32, b, t int) (passes [][3]int) {
	size := min(targetsPerPass, max(1, m.passRows()/(b*t)))
	for from := 0; from < len(pos); from += size {
		to := min(from+size, len(pos))
		passes = append(passes, [3]int{from, to, int(pos[to-1]) + 1})
	}
	return passes
}
