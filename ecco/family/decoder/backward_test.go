package decoder

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/gomlx/gomlx/core/graph"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
)

// testEdits touch the first and the last layer: ablations everywhere, a set value at a target's
// position, an addition at others.
var testEdits = []family.Edit{
	{Layer: 0, Neurons: []int{1, 5}, Mode: family.Ablate},
	{Layer: 2, Neurons: []int{0, 3, 7}, Mode: family.Set, Value: 0.8, Positions: []int{9, 4}},
	{Layer: 2, Neurons: []int{3, 11}, Mode: family.Add, Value: -0.5, Positions: []int{2, 6, 9}},
	{Layer: 0, Neurons: []int{2}, Mode: family.Add, Value: 1.5},
}

// TestBatchedBackwardMatchesAutodiff compares the hand-written backward pass, batched over
// targets, with GoMLX's autodiff (one Gradient per target) in float64 on random weights and
// inputs, for every test family with and without edits, in the three uses: the plain gradient
// (B = 1, the last position), several targets at unordered positions (one pass over all
// positions, and passes cut to the targets' prefixes), and a batch with integrated gradients'
// weights (the last row weighted 0: F alone).
func TestBatchedBackwardMatchesAutodiff(t *testing.T) {
	const length = 10
	uses := []struct {
		name    string
		targets []int32
		coef    []float64
		planned bool
	}{
		{"gradient", []int32{length - 1}, []float64{1}, true},
		{"targets", []int32{5, 9, 2, 7, 0, 8, 3, 6}, []float64{1}, false},
		{"targets-cut", []int32{0, 2, 3, 5, 6, 7, 8, 9}, []float64{1}, true},
		{"integrated", []int32{6, 2, 9}, []float64{0.3, 0.45, 0.25, 0}, false},
		{"integrated-cut", []int32{2, 6, 9}, []float64{0.3, 0.45, 0.25, 0}, true},
	}
	for _, ta := range testArchs() {
		for _, edits := range [][]family.Edit{nil, testEdits} {
			name := ta.name
			if edits != nil {
				name += "-edited"
			}
			t.Run(name, func(t *testing.T) {
				rng := rand.New(rand.NewPCG(7, uint64(len(name))))
				m := ta.model64(t, rng)
				for _, use := range uses {
					got, want := m.gradients64(t, rng, length, use.targets, use.coef, edits, use.planned)
					compareFloats(t, use.name+": F", got[0], want[0], 1e-12)
					compareFloats(t, use.name+": gradients", got[1], want[1], 1e-9)
				}
			})
		}
	}
}

// gradients64 runs the batched graph and the autodiff graph on the same random float64 inputs
// (a batch of len(coef) sequences of t positions) and returns each one's F and gradients.
func (m *Model) gradients64(t *testing.T, rng *rand.Rand, length int, targets []int32, coef []float64, edits []family.Edit, planned bool) (got, want [2][]float64) {
	t.Helper()
	b, d, k := len(coef), m.info.Width, len(targets)
	embeds := make([]float64, b*length*d)
	for i := range embeds {
		embeds[i] = rng.NormFloat64()
	}
	ids := make([]int32, k)
	for j := range ids {
		ids[j] = int32(rng.IntN(m.info.Vocab))
	}
	positions := make([]int32, length)
	for i := range positions {
		positions[i] = int32(i)
	}
	inputs := []any{
		tensors.FromFlatDataAndDimensions(embeds, b, length, d), tensors.FromFlatDataAndDimensions(positions, length),
		tensors.FromFlatDataAndDimensions(targets, k), tensors.FromFlatDataAndDimensions(ids, k), tensors.FromFlatDataAndDimensions(coef, b),
	}
	layers := family.EditedLayers(edits)
	if len(edits) > 0 {
		keep, add := family.EditMasks(edits, layers, 0, length, m.info.Neurons)
		inputs = append(inputs, tensors.FromFlatDataAndDimensions(widen(keep), len(layers), length, m.info.Neurons),
			tensors.FromFlatDataAndDimensions(widen(add), len(layers), length, m.info.Neurons))
	}
	ends := ""
	if planned {
		if !slices.IsSorted(targets) {
			t.Fatal("a planned graph takes its targets by ascending position")
		}
		ends = m.passPlan(targets, length, execKind{name: "test"})
		if passes := m.passesOf(targets, b, length); k > targetsPerPass && len(passes) < 2 {
			t.Fatalf("%d targets in %d passes: the cut is not tested", k, len(passes))
		}
	}
	run := func(build func([]*Node) []*Node) [2][]float64 {
		e, err := graph.NewExec(m.backend, build)
		if err != nil {
			t.Fatal(err)
		}
		outs, err := Run(e, m.weights, inputs...)
		if err != nil {
			t.Fatal(err)
		}
		return [2][]float64{tensors.MustCopyFlatData[float64](outs[0]), tensors.MustCopyFlatData[float64](outs[1])}
	}
	idle := 0
	for idle < b-1 && coef[b-1-idle] == 0 {
		idle++
	}
	got = run(m.batchedGraph(ends, idle, layers))
	want = run(func(nodes []*Node) []*Node { return m.gradientGraph(edits, nodes) })
	return got, want
}

func widen(x []float32) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

// compareFloats fails when got and want differ by more than tol relative to want's largest
// magnitude, printing the first values and the largest difference.
func compareFloats(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	scale, worst, at := 0.0, 0.0, 0
	for i := range want {
		scale = math.Max(scale, math.Abs(want[i]))
		if diff := math.Abs(got[i] - want[i]); diff > worst {
			worst, at = diff, i
		}
	}
	if scale == 0 {
		t.Errorf("%s: every value is 0: the test checks nothing", what)
	}
	if worst > tol*scale {
		head := min(6, len(got))
		t.Errorf("%s: max difference %.3g at %d (largest value %.3g, tolerance %.3g relative)\n got  %.6g\n want %.6g",
			what, worst, at, scale, tol, got[:head], want[:head])
	}
}

var _ = fmt.Sprint
