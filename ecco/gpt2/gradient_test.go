package gpt2

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
)

// TestEmbeddingGradientFiniteDifferences checks ∂F/∂E against central differences of F along
// random directions, in float32 (relative error ≤ 1e-2).
func TestEmbeddingGradientFiniteDifferences(t *testing.T) {
	m := tiny(t)
	g := loadGolden(t, 3)
	ids, target := g.Input.IDs, g.Greedy.IDs[0] // the likeliest token: F is large enough for float32 differences
	embeds, err := m.Embeddings(ids)
	if err != nil {
		t.Fatal(err)
	}
	_, grad, err := m.EmbeddingGradient(embeds, 1, target, []float32{1})
	if err != nil {
		t.Fatal(err)
	}
	f := func(e []float32) float64 {
		p, _, err := m.EmbeddingGradient(e, 1, target, []float32{1})
		if err != nil {
			t.Fatal(err)
		}
		return float64(p[0])
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 4 {
		dir := make([]float32, len(embeds)) // a unit vector, so that h is the step's length
		var norm float64
		for i := range dir {
			dir[i] = float32(rng.NormFloat64())
			norm += float64(dir[i]) * float64(dir[i])
		}
		for i := range dir {
			dir[i] /= float32(math.Sqrt(norm))
		}
		const h = 1e-2
		plus, minus := slices.Clone(embeds), slices.Clone(embeds)
		for i := range dir {
			plus[i] += h * dir[i]
			minus[i] -= h * dir[i]
		}
		numeric := (f(plus) - f(minus)) / (2 * h)
		var analytic float64
		for i := range dir {
			analytic += float64(grad[i]) * float64(dir[i])
		}
		if rel := math.Abs(numeric-analytic) / math.Max(math.Abs(numeric), 1e-6); rel > 1e-2 {
			t.Errorf("direction %d: finite difference %g, gradient %g (relative error %g)", trial, numeric, analytic, rel)
		}
	}
}

// TestDotVJPFiniteDifferences checks GoMLX's DotGeneral gradient, both operands, on the
// contraction layouts the model uses, against finite differences in float64.
func TestDotVJPFiniteDifferences(t *testing.T) {
	backend := testBackend(t)
	cases := []struct {
		name           string
		lhs, rhs       []int
		lc, lb, rc, rb []int
	}{
		{"linear", []int{2, 3, 4}, []int{5, 4}, []int{2}, nil, []int{1}, nil},
		{"scores", []int{2, 3, 4, 5}, []int{2, 3, 6, 5}, []int{3}, []int{0, 1}, []int{3}, []int{0, 1}},
		{"values", []int{2, 3, 4, 6}, []int{2, 3, 6, 5}, []int{3}, []int{0, 1}, []int{2}, []int{0, 1}},
		{"lm head", []int{3, 2, 4}, []int{5, 4}, []int{2}, nil, []int{1}, nil},
	}
	rng := rand.New(rand.NewPCG(5, 6))
	random := func(dims []int) *tensors.Tensor {
		n := 1
		for _, d := range dims {
			n *= d
		}
		v := make([]float64, n)
		for i := range v {
			v[i] = rng.NormFloat64()
		}
		return tensors.FromFlatDataAndDimensions(v, dims...)
	}
	for _, c := range cases {
		lhs, rhs, weights := random(c.lhs), random(c.rhs), (*tensors.Tensor)(nil)
		// loss = Σ w ⊙ dot(lhs, rhs) with random w, so every output element matters.
		exec, err := NewExec(backend, func(l, r, w *Node) []*Node {
			loss := ReduceAllSum(Mul(DotGeneral(l, c.lc, c.lb, r, c.rc, c.rb), w))
			g := Gradient(loss, l, r)
			return []*Node{loss, g[0], g[1]}
		})
		if err != nil {
			t.Fatal(err)
		}
		outShape := DotGeneralShapeForTest(t, backend, c.lhs, c.rhs, c.lc, c.lb, c.rc, c.rb)
		weights = random(outShape)
		outs, err := exec.Exec(lhs, rhs, weights)
		if err != nil {
			t.Fatal(err)
		}
		loss := func(l, r *tensors.Tensor) float64 {
			o, err := exec.Exec(l, r, weights)
			if err != nil {
				t.Fatal(err)
			}
			return tensors.MustCopyFlatData[float64](o[0])[0]
		}
		for operand, tensor := range []*tensors.Tensor{lhs, rhs} {
			flat := tensors.MustCopyFlatData[float64](tensor)
			grad := tensors.MustCopyFlatData[float64](outs[1+operand])
			for _, i := range []int{0, len(flat) / 2, len(flat) - 1} {
				const h = 1e-5
				plus, minus := slices.Clone(flat), slices.Clone(flat)
				plus[i] += h
				minus[i] -= h
				var numeric float64
				if operand == 0 {
					numeric = (loss(tensors.FromFlatDataAndDimensions(plus, c.lhs...), rhs) - loss(tensors.FromFlatDataAndDimensions(minus, c.lhs...), rhs)) / (2 * h)
				} else {
					numeric = (loss(lhs, tensors.FromFlatDataAndDimensions(plus, c.rhs...)) - loss(lhs, tensors.FromFlatDataAndDimensions(minus, c.rhs...))) / (2 * h)
				}
				if math.Abs(numeric-grad[i]) > 1e-6*math.Max(1, math.Abs(numeric)) {
					t.Errorf("%s: d/d(operand %d)[%d]: gradient %g, finite difference %g", c.name, operand, i, grad[i], numeric)
				}
			}
		}
	}
}

// DotGeneralShapeForTest returns the output dimensions of the DotGeneral under test.
func DotGeneralShapeForTest(t *testing.T, backend any, lhs, rhs, lc, lb, rc, rb []int) []int {
	t.Helper()
	var dims []int
	for _, a := range lb {
		dims = append(dims, lhs[a])
	}
	for _, a := range freeAxes(len(lhs), lc, lb) {
		dims = append(dims, lhs[a])
	}
	for _, a := range freeAxes(len(rhs), rc, rb) {
		dims = append(dims, rhs[a])
	}
	return dims
}

// freeAxes are the axes neither contracted nor batched, ascending.
func freeAxes(rank int, contract, batch []int) []int {
	var free []int
	for a := range rank {
		if !slices.Contains(contract, a) && !slices.Contains(batch, a) {
			free = append(free, a)
		}
	}
	return free
}

// TestCachedGenerationEqualsRecomputation: greedy decoding with the KV cache gives the same ids
// and logits as running the whole sequence again at every step.
func TestCachedGenerationEqualsRecomputation(t *testing.T) {
	m := tiny(t)
	ids := slices.Clone(loadGolden(t, 1).Input.IDs)
	step, err := m.Step(ids, nil, StepOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for range 6 {
		full, err := m.Step(ids, nil, StepOptions{})
		if err != nil {
			t.Fatal(err)
		}
		worst := 0.0
		for v, x := range full.Logits[0] {
			worst = math.Max(worst, math.Abs(float64(x-step.Logits[0][v])))
		}
		if worst > 1e-4 {
			t.Fatalf("after %d tokens: cached and recomputed logits differ by %g", len(ids), worst)
		}
		next := argmax(step.Logits[0])
		if next != argmax(full.Logits[0]) {
			t.Fatalf("after %d tokens: cached picks %d, recomputation %d", len(ids), next, argmax(full.Logits[0]))
		}
		ids = append(ids, next)
		if step, err = m.Step([]int{next}, step.Cache, StepOptions{}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestStepErrors(t *testing.T) {
	m := tiny(t)
	if _, err := m.Step(nil, nil, StepOptions{}); err == nil {
		t.Error("no tokens: no error")
	}
	if _, err := m.Step([]int{50257}, nil, StepOptions{}); err == nil {
		t.Error("id outside the vocabulary: no error")
	}
	if _, err := m.Step(make([]int, m.Config.NPositions+1), nil, StepOptions{}); err == nil {
		t.Error("longer than n_positions: no error")
	}
	if _, err := m.Step([]int{1, 2}, nil, StepOptions{LogitsAt: []int{2}}); err == nil {
		t.Error("logits index out of range: no error")
	}
}
