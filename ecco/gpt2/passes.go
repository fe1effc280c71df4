package gpt2

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
// positions. So a pass takes just enough targets for about passRows rows (targets × batch ×
// positions), at most targetsPerPass: for grad×input (B = 1, 30–60 positions) 6 targets and
// 15 wasted rows in 270; for integrated gradients (halves of α chunks of 13, 37 positions) 5.
// Measured, integrated gradients for 10 tokens on DistilGPT2 with whole α chunks (3 targets
// per pass at 1536; wall, 2 cores, load 1.3–1.5): passRows 768: 16.5–17.5 s, 1536: 15.1–15.2 s,
// 3072: 15.1–15.3 s.
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
// On DistilGPT2, 35 tokens after 28: one call instead of groups of 6 runs 62 forward rows
// instead of 287 (about 19 GFLOP less).
func (m *Model) TargetsPerCall() int { return 64 }

// passPlan returns the key of ascending target positions pos in t positions.
func (m *Model) passPlan(pos []int32, t, idle int) string {
	ends := make([]string, len(pos))
	for j, p := range pos {
		ends[j] = strconv.Itoa(t - 1 - int(p))
	}
	key := strings.Join(ends, ",")
	if m.execs.Has(execKind{name: "grad", ends: key, idle: idle}) {
		return key
	}
	if m.execs.Count(func(k execKind) bool { return k.name == "grad" }) >= maxPlans {
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
