package ecco

import (
	"fmt"
	"math"
	"testing"

	"github.com/ecco-go/ecco/ecco/family"
)

// Every family's attention capture: [L][H][T][T], rows summing to 1 with nothing above the
// diagonal, and the last row of a KV-cached step equal to the whole sequence's.
func TestAttentionOfEveryFamily(t *testing.T) {
	eachReference(t, func(t *testing.T, model string, lm *LM) {
		info := lm.Info()
		ids := loadModelGolden(t, model, 2).Input.IDs
		att, err := lm.Attention(ids)
		if err != nil {
			t.Fatal(err)
		}
		if len(att) != info.Layers || len(att[0]) != info.Heads || len(att[0][0]) != len(ids) || len(att[0][0][0]) != len(ids) {
			t.Fatalf("attention is [%d][%d][%d][%d], want [%d][%d][%d][%d]", len(att), len(att[0]), len(att[0][0]), len(att[0][0][0]), info.Layers, info.Heads, len(ids), len(ids))
		}
		for l, heads := range att {
			for h, rows := range heads {
				for q, row := range rows {
					var sum float64
					for k, p := range row {
						if k > q && p != 0 {
							t.Fatalf("layer %d head %d: query %d attends to later key %d (%g)", l, h, q, k, p)
						}
						sum += float64(p)
					}
					if math.Abs(sum-1) > 1e-5 {
						t.Errorf("layer %d head %d query %d: row sums to %g", l, h, q, sum)
					}
				}
			}
		}
		first, err := lm.Model.Step(ids[:len(ids)-1], nil, family.StepOptions{})
		if err != nil {
			t.Fatal(err)
		}
		last, err := lm.Model.Step(ids[len(ids)-1:], first.Cache, family.StepOptions{Attention: true})
		if err != nil {
			t.Fatal(err)
		}
		// The cached step multiplies one row, the full pass all of them: compute's kernels then
		// sum in different orders (seen: 1.4e-6 on tiny-qwen2-a), so the reference's 1e-5 applies.
		for l := range att {
			for h := range att[l] {
				assertClose(t, fmt.Sprintf("cached step, layer %d head %d", l, h), f64(last.Attention[l][h][0]), f64(att[l][h][len(ids)-1]), 1e-5)
			}
		}
	})
}
