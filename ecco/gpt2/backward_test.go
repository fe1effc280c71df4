package gpt2

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/ecco/family/decoder"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
)

// randomModel64 is a small GPT-2 with random float64 weights, large enough that attention is far
// from uniform and every activation works away from zero.
func randomModel64(t *testing.T, activation string, rng *rand.Rand) *Model {
	t.Helper()
	cfg := &Config{ModelType: "gpt2", NLayer: 3, NEmbd: 8, NHead: 2, NPositions: 16, NInner: 32,
		Activation: activation, LayerNormEpsilon: 1e-5, VocabSize: 11}
	m := &Model{Config: cfg, backend: testBackend(t), lmHead: "wte.weight"}
	shapes := CheckpointShapes(cfg)
	for _, name := range slices.Sorted(maps.Keys(shapes)) {
		shape := shapes[name]
		n := 1
		for _, d := range shape {
			n *= d
		}
		values := make([]float64, n)
		for i := range values {
			values[i] = 0.4 * rng.NormFloat64()
			if strings.Contains(name, "ln_") && strings.HasSuffix(name, ".weight") {
				values[i] += 1 // layer-norm gains near 1
			}
		}
		m.names = append(m.names, name)
		m.weights = append(m.weights, tensors.FromFlatDataAndDimensions(values, shape...))
	}
	return m
}

// TestBatchedBackwardMatchesAutodiff compares the hand-written backward pass, batched over
// targets, with GoMLX's autodiff (one Gradient per target) in float64 on random weights and
// inputs: every activation with a written derivative, B = 2, k = 3 targets at unordered positions.
func TestBatchedBackwardMatchesAutodiff(t *testing.T) {
	const b, length = 2, 7
	targetPos := []int32{2, 6, 4}
	k := len(targetPos)
	for _, activation := range []string{"gelu_new", "gelu", "relu", "quick_gelu", "silu"} {
		t.Run(activation, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, uint64(len(activation))))
			m := randomModel64(t, activation, rng)
			d := m.Config.NEmbd
			embeds, seed := make([]float64, b*length*d), make([]float64, b*k*d)
			for i := range embeds {
				embeds[i] = rng.NormFloat64()
			}
			for i := range seed {
				seed[i] = rng.NormFloat64()
			}
			positions := []int32{0, 1, 2, 3, 4, 5, 6}
			e, err := NewExec(m.backend, func(nodes []*Node) []*Node {
				p, in := m.params(nodes)
				embeds, positions, targetPos, seed := in[0], in[1], in[2], in[3]
				tp := m.tapedFinal(p, embeds, positions, targetPos)
				batched := m.targetGradients(p, tp, seed) // [k·B, T, D]
				final := m.finalAt(p, embeds, positions, OneHot(targetPos, length, embeds.DType()), targetPos)
				var oracle []*Node
				for j := range k {
					column := Slice(Mul(final, seed), AxisRange(), AxisElem(j), AxisRange())
					oracle = append(oracle, Gradient(ReduceAllSum(column), embeds)[0]) // [B, T, D]
				}
				return []*Node{tp.final, final, batched, Reshape(Stack(oracle, 0), k*b, length, d)}
			})
			if err != nil {
				t.Fatal(err)
			}
			args := []any{}
			for _, w := range m.weights {
				args = append(args, w)
			}
			args = append(args, tensors.FromFlatDataAndDimensions(embeds, b, length, d), tensors.FromFlatDataAndDimensions(positions, length),
				tensors.FromFlatDataAndDimensions(targetPos, k), tensors.FromFlatDataAndDimensions(seed, b, k, d))
			outs, err := e.Exec(args...)
			if err != nil {
				t.Fatal(err)
			}
			flat := func(i int) []float64 { return tensors.MustCopyFlatData[float64](outs[i]) }
			compareFloats(t, "forward at the targets", flat(0), flat(1), 1e-12)
			compareFloats(t, "embedding gradients", flat(2), flat(3), 1e-9)
		})
	}
}

// TestEmbeddingGradientsMatchAutodiff runs both paths of the model's float32 graphs on the tiny
// reference model: B = 3 scaled copies of the embeddings (as integrated gradients sends), and
// targets at different positions, unordered; with more than targetsPerPass of them the batched
// path splits them into backward passes cut to their prefixes; with weights 0 last, it leaves
// those rows out of the backward passes. Tolerance 1e-5 relative: float32 products of other
// shapes (the halves of concurrent.go) sum in another order; on the portable path F moves by
// up to 4e-6 relative.
func TestEmbeddingGradientsMatchAutodiff(t *testing.T) {
	m := tiny(t)
	g := loadGolden(t, 1)
	embeds, err := m.Embeddings(g.Input.IDs)
	if err != nil {
		t.Fatal(err)
	}
	n := len(g.Input.IDs)
	batch := make([]float32, 0, 3*len(embeds))
	for _, alpha := range []float32{1, 0.5, 0.1} {
		for _, e := range embeds {
			batch = append(batch, alpha*e)
		}
	}
	coef := []float32{0.2, 0.5, 0.3}
	few := []Target{{Position: n - 1, ID: 13}, {Position: n / 2, ID: 7}, {Position: n - 3, ID: 250}}
	var many []Target
	for j := range targetsPerPass + 3 {
		many = append(many, Target{Position: (n - 1 - 2*j + n) % n, ID: 100 + j})
	}
	for i, targets := range [][]Target{few, many, few, many} {
		rows := 3
		switch i {
		case 2:
			coef = []float32{0.7, 0, 0} // the last two rows weighted 0: no backward pass for them
		case 3:
			rows, coef = 1, []float32{1} // one sequence: two concurrent executions split by targets
		}
		probs, grads, err := m.embeddingGradients(batch[:rows*len(embeds)], rows, targets, coef, false)
		if err != nil {
			t.Fatal(err)
		}
		wantProbs, wantGrads, err := m.embeddingGradients(batch[:rows*len(embeds)], rows, targets, coef, true)
		if err != nil {
			t.Fatal(err)
		}
		for j, tg := range targets {
			compareFloats(t, fmt.Sprintf("case %d, target %d at %d: F", i, j, tg.Position), widen(probs[j]), widen(wantProbs[j]), 1e-5)
			compareFloats(t, fmt.Sprintf("case %d, target %d at %d: gradient", i, j, tg.Position), widen(grads[j]), widen(wantGrads[j]), 1e-5)
		}
	}
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
	if worst > tol*math.Max(scale, 1e-30) {
		head := min(6, len(got))
		t.Errorf("%s: max difference %.3g at %d (largest value %.3g, tolerance %.3g relative)\n got  %.6g\n want %.6g",
			what, worst, at, scale, tol, got[:head], want[:head])
	}
}

// TestUnplannedGraphMatchesAutodiff runs the batched graph without a pass plan (the fallback past
// maxPlans keys: target positions as inputs, one pass over all positions) against autodiff.
func TestUnplannedGraphMatchesAutodiff(t *testing.T) {
	m := tiny(t)
	embeds, err := m.Embeddings(loadGolden(t, 1).Input.IDs)
	if err != nil {
		t.Fatal(err)
	}
	n := len(embeds) / m.Config.NEmbd
	pos32, ids32 := []int32{int32(n / 3), int32(n - 1)}, []int32{5, 900}
	e, err := m.exec(execKind{name: "grad-unplanned-test"}, m.gradientGraph("", 0))
	if err != nil {
		t.Fatal(err)
	}
	positions, err := m.positions(0, n)
	if err != nil {
		t.Fatal(err)
	}
	outs, err := m.run(e, tensors.FromFlatDataAndDimensions(embeds, 1, n, m.Config.NEmbd), tensors.FromFlatDataAndDimensions(positions, n),
		tensors.FromFlatDataAndDimensions(pos32, 2), tensors.FromFlatDataAndDimensions(ids32, 2), tensors.FromFlatDataAndDimensions([]float32{1}, 1))
	if err != nil {
		t.Fatal(err)
	}
	wantProbs, wantGrads, err := m.sortedGradients(embeds, 1, n, pos32, ids32, []float32{1}, true)
	if err != nil {
		t.Fatal(err)
	}
	probs, grads := decoder.Rows(tensors.MustCopyFlatData[float32](outs[0]), 2), decoder.Rows(tensors.MustCopyFlatData[float32](outs[1]), 2)
	for j := range pos32 {
		compareFloats(t, fmt.Sprintf("target %d: F", j), widen(probs[j]), widen(wantProbs[j]), 1e-5)
		compareFloats(t, fmt.Sprintf("target %d: gradient", j), widen(grads[j]), widen(wantGrads[j]), 1e-5)
	}
}
