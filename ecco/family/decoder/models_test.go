package decoder_test

import (
	"fmt"
	"math"
	"path/filepath"
	"testing"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/decoder"
	"github.com/ecco-go/ecco/ecco/gemma"
	"github.com/ecco-go/ecco/ecco/gptneo"
	"github.com/ecco-go/ecco/ecco/llama"
	"github.com/ecco-go/ecco/ecco/neox"
	"github.com/ecco-go/ecco/internal/refdata"
	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"
)

// TestEmbeddingGradientsMatchAutodiff runs the whole batched path (targets sorted and put back,
// passes cut to prefixes, the two concurrent executions split by targets or by rows, idle rows,
// edits) on the float32 reference models against autodiff, Qwen3's q/k norms and Gemma 3's
// sandwich norms and GPT-NeoX's partial rotary and parallel residual included. Tolerance 1e-5 relative: float32
// products of other shapes sum in another order.
func TestEmbeddingGradientsMatchAutodiff(t *testing.T) {
	backend, dir := testBackend(t), testModels
	loads := map[string]func() (*decoder.Model, error){
		"tiny-qwen2-a":  func() (*decoder.Model, error) { return llama.Load(backend, dir+"tiny-qwen2-a") },
		"tiny-neo-a":    func() (*decoder.Model, error) { return gptneo.Load(backend, dir+"tiny-neo-a") },
		"tiny-qwen3-a":  func() (*decoder.Model, error) { return llama.Load(backend, dir+"tiny-qwen3-a") },
		"tiny-gemma3-a": func() (*decoder.Model, error) { return gemma.Load(backend, dir+"tiny-gemma3-a") },
		"tiny-neox-a":   func() (*decoder.Model, error) { return neox.Load(backend, dir+"tiny-neox-a") },
	}
	for name, load := range loads {
		t.Run(name, func(t *testing.T) {
			m, err := load()
			if err != nil {
				t.Fatal(err)
			}
			const n = 24
			ids := make([]int, n)
			for i := range ids {
				ids[i] = (i*7919 + 13) % m.Info().Vocab
			}
			embeds, err := m.Embeddings(ids)
			if err != nil {
				t.Fatal(err)
			}
			var many []family.Target // more than one pass, unordered
			for j := range 9 {
				many = append(many, family.Target{Position: (n - 1 - 5*j + 2*n) % n, ID: 100 + 37*j})
			}
			few := many[:3]
			batch := make([]float32, 0, 4*len(embeds))
			for _, alpha := range []float32{0.9, 0.5, 0.2, 1} {
				for _, e := range embeds {
					batch = append(batch, alpha*e)
				}
			}
			edits := []family.Edit{{Layer: 0, Neurons: []int{1, 4}, Mode: family.Ablate}, {Layer: m.Info().Layers - 1, Neurons: []int{2}, Mode: family.Set, Value: 0.7, Positions: []int{many[0].Position}}}
			cases := []struct {
				targets []family.Target
				rows    int
				coef    []float32
				edits   []family.Edit
			}{
				{many, 1, []float32{1}, nil},
				{few, 4, []float32{0.3, 0.4, 0.3, 0}, nil},
				{many, 1, []float32{1}, edits},
				{few, 4, []float32{0.3, 0.4, 0.3, 0}, edits},
			}
			for i, c := range cases {
				var model family.Model = m
				if c.edits != nil {
					if model, err = m.WithEdits(c.edits); err != nil {
						t.Fatal(err)
					}
				}
				in := batch[:c.rows*len(embeds)]
				probs, grads, err := model.EmbeddingGradients(in, c.rows, c.targets, c.coef)
				if err != nil {
					t.Fatal(err)
				}
				wantProbs, wantGrads, err := m.AutodiffGradients(in, c.rows, c.targets, c.coef, c.edits)
				if err != nil {
					t.Fatal(err)
				}
				for j, tg := range c.targets {
					compare(t, fmt.Sprintf("case %d, target %d at %d: F", i, j, tg.Position), probs[j], wantProbs[j], 1e-5)
					compare(t, fmt.Sprintf("case %d, target %d at %d: gradient", i, j, tg.Position), grads[j], wantGrads[j], 1e-5)
				}
			}
		})
	}
}

// testModels is the reference models' folder; refdata writes the weights it generates there.
var testModels = filepath.Join(refdata.TestData(), "models") + string(filepath.Separator)

func testBackend(t *testing.T) compute.Backend {
	t.Helper()
	backend, err := gobackend.New("ops_sequential")
	if err != nil {
		t.Fatal(err)
	}
	return backend
}

// TestHeadLayouts: the LM head read by row blocks without a copy (the Go backend's way), through
// its [D, V] copy, and as stored with neither (a backend without row blocks, over copyLimit)
// gives the same logits for a prompt and a decoding step, lens logits and gradients.
func TestHeadLayouts(t *testing.T) {
	blocks, err := llama.Load(testBackend(t), testModels+"tiny-qwen2-a")
	if err != nil {
		t.Fatal(err)
	}
	columns, err := blocks.WithHeadColumns()
	if err != nil {
		t.Fatal(err)
	}
	models := []family.Model{blocks, columns, blocks.WithoutRowBlocks()}
	names := []string{"row blocks", "[D, V] copy", "as stored"}
	ids := []int{464, 2068, 7586, 21831, 18045, 625, 262, 16931, 3290}
	var outs, steps [3]*family.StepOutput
	var lens, probs, grads [3][][]float32
	for i, m := range models {
		if outs[i], err = m.Step(ids, nil, family.StepOptions{Hidden: true}); err != nil {
			t.Fatal(err)
		}
		if steps[i], err = m.Step([]int{11}, outs[i].Cache, family.StepOptions{}); err != nil {
			t.Fatal(err)
		}
		if lens[i], err = m.LMHead(outs[i].Hidden[1], true); err != nil {
			t.Fatal(err)
		}
		embeds, err := m.Embeddings(ids)
		if err != nil {
			t.Fatal(err)
		}
		targets := []family.Target{{Position: 8, ID: 11}, {Position: 3, ID: 500}}
		if probs[i], grads[i], err = m.EmbeddingGradients(embeds, 1, targets, []float32{1}); err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i < len(models); i++ {
		what := names[i] + " vs " + names[0] + ": "
		compare(t, what+"prompt logits", outs[i].Logits[0], outs[0].Logits[0], 1e-5)
		compare(t, what+"decoding step logits", steps[i].Logits[0], steps[0].Logits[0], 1e-5)
		for j := range lens[0] {
			compare(t, fmt.Sprintf("%slens logits at %d", what, j), lens[i][j], lens[0][j], 1e-5)
		}
		for j := range probs[0] {
			compare(t, fmt.Sprintf("%starget %d: F", what, j), probs[i][j], probs[0][j], 1e-5)
			compare(t, fmt.Sprintf("%starget %d: gradient", what, j), grads[i][j], grads[0][j], 1e-5)
		}
	}
}

// compare fails when got and want differ by more than tol relative to want's largest magnitude.
func compare(t *testing.T, what string, got, want []float32, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	scale, worst := 0.0, 0.0
	for i := range want {
		scale = math.Max(scale, math.Abs(float64(want[i])))
		worst = math.Max(worst, math.Abs(float64(got[i]-want[i])))
	}
	if scale == 0 || worst > tol*scale {
		t.Errorf("%s: max difference %.3g, largest value %.3g", what, worst, scale)
	}
}
