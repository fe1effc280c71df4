package gpt2

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"
)

const (
	tinyDir   = "../../tests/testdata/models/tiny-a"
	goldenDir = "../../tests/testdata/golden/tiny-a"
)

// golden is the part of the reference files these tests read.
type golden struct {
	Input struct {
		IDs []int `json:"ids"`
	} `json:"input"`
	FirstForward struct {
		LogitsLastFirst20 []float64 `json:"logits_last_first20"`
		LogitsPos0First20 []float64 `json:"logits_pos0_first20"`
		Top10IDsLast      []int     `json:"top10_ids_last"`
		Top10LogitsLast   []float64 `json:"top10_logits_last"`
		ArgmaxLast        int       `json:"argmax_last"`
	} `json:"first_forward"`
	Greedy struct {
		IDs []int `json:"ids"`
	} `json:"greedy"`
}

func loadGolden(t testing.TB, prompt int) *golden {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(goldenDir, fmt.Sprintf("prompt%d.json", prompt)))
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	return &g
}

var (
	tinyOnce  sync.Once
	tinyModel *Model
	tinyErr   error
)

func testBackend(t testing.TB) compute.Backend {
	t.Helper()
	b, err := gobackend.New("ops_sequential")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func tiny(t testing.TB) *Model {
	t.Helper()
	tinyOnce.Do(func() {
		b, err := gobackend.New("ops_sequential")
		if err != nil {
			tinyErr = err
			return
		}
		tinyModel, tinyErr = Load(b, tinyDir)
	})
	if tinyErr != nil {
		t.Fatal(tinyErr)
	}
	return tinyModel
}

// assertClose fails with the first values and the largest difference when got and want differ by more than tol.
func assertClose(t *testing.T, what string, got []float32, want []float64, tol float64) {
	t.Helper()
	if len(got) < len(want) {
		t.Fatalf("%s: got %d values, want at least %d", what, len(got), len(want))
	}
	worst, at := 0.0, 0
	for i, w := range want {
		if d := math.Abs(float64(got[i]) - w); d > worst || math.IsNaN(d) {
			worst, at = d, i
		}
	}
	if worst > tol || math.IsNaN(worst) {
		n := min(5, len(want))
		t.Errorf("%s: max |diff| %.3g at %d > %.g\n got  %v\n want %v", what, worst, at, tol, got[:n], want[:n])
	}
}

func TestForwardMatchesEcco(t *testing.T) {
	m := tiny(t)
	for prompt := 1; prompt <= 3; prompt++ {
		t.Run(fmt.Sprint("prompt", prompt), func(t *testing.T) {
			g := loadGolden(t, prompt)
			n := len(g.Input.IDs)
			out, err := m.Step(g.Input.IDs, nil, StepOptions{LogitsAt: []int{0, n - 1}})
			if err != nil {
				t.Fatal(err)
			}
			assertClose(t, "logits at position 0", out.Logits[0], g.FirstForward.LogitsPos0First20, 1e-4)
			last := out.Logits[1]
			assertClose(t, "last-position logits", last, g.FirstForward.LogitsLastFirst20, 1e-4)
			for i, id := range g.FirstForward.Top10IDsLast {
				if d := math.Abs(float64(last[id]) - g.FirstForward.Top10LogitsLast[i]); d > 1e-4 {
					t.Errorf("logit of top-%d id %d: got %g, want %g", i+1, id, last[id], g.FirstForward.Top10LogitsLast[i])
				}
			}
			if got := argmax(last); got != g.FirstForward.ArgmaxLast {
				t.Errorf("argmax: got %d, want %d", got, g.FirstForward.ArgmaxLast)
			}
		})
	}
}

func argmax(xs []float32) int {
	best := 0
	for i, x := range xs {
		if x > xs[best] {
			best = i
		}
	}
	return best
}
