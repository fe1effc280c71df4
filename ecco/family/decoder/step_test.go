package decoder

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/gomlx/gomlx/core/tensors"
)

// TestCachedStepsMatchOneForward: decoding token by token through the fixed-capacity KV cache,
// across two capacity growths, gives every family the logits, hidden states, FFN neurons and
// attention rows of one forward pass over the whole sequence, within 1e-5 of its largest value.
func TestCachedStepsMatchOneForward(t *testing.T) {
	defer func(block int) { cacheBlock = block }(cacheBlock)
	cacheBlock = 4 // prompt of 3, three more (a growth to 8), then one at a time (a growth at 9)
	const length, prompt = 11, 3
	for _, ta := range testArchs() {
		t.Run(ta.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(4, 2))
			m := ta.model32(t, rng)
			ids := make([]int, length)
			for i := range ids {
				ids[i] = rng.IntN(testVocab)
			}
			all := make([]int, length)
			for i := range all {
				all[i] = i
			}
			opts := family.StepOptions{Hidden: true, FFN: true, Attention: true}
			whole := opts
			whole.LogitsAt = all
			want, err := m.Step(ids, nil, whole)
			if err != nil {
				t.Fatal(err)
			}
			step, err := m.Step(ids[:prompt], nil, opts)
			if err != nil {
				t.Fatal(err)
			}
			// Three positions at once across a growth (3 → 6 of capacity 8), then one at a time.
			if step, err = m.Step(ids[prompt:prompt+3], step.Cache, whole3(opts)); err != nil {
				t.Fatal(err)
			}
			for j := range 3 {
				compareFloats(t, fmt.Sprintf("three at once, logits at %d", prompt+j), widen(step.Logits[j]), widen(want.Logits[prompt+j]), 1e-5)
				for l := range want.Attention {
					for h := range want.Attention[l] {
						compareFloats(t, fmt.Sprintf("three at once, attention %d/%d at %d", l, h, prompt+j), widen(step.Attention[l][h][j]), widen(want.Attention[l][h][prompt+j][:prompt+3]), 1e-5)
					}
				}
			}
			for pos := prompt + 3; pos < length; pos++ {
				if step, err = m.Step(ids[pos:pos+1], step.Cache, opts); err != nil {
					t.Fatal(err)
				}
				if got, wantCap := step.Cache.KV[0].Shape().Dimensions[2], cacheCapacity(nil, pos+1); got != wantCap {
					t.Errorf("at %d: cache of %d rows, want %d", pos, got, wantCap)
				}
				at := func(what string) string { return fmt.Sprintf("position %d: %s", pos, what) }
				compare := func(what string, got, want []float32, tol float64) {
					compareFloats(t, what, widen(got), widen(want), tol)
				}
				compare(at("logits"), step.Logits[0], want.Logits[pos], 1e-5)
				for l := range want.Hidden {
					compare(at(fmt.Sprintf("hidden %d", l)), step.Hidden[l][0], want.Hidden[l][pos], 1e-5)
				}
				for l := range want.FFN {
					compare(at(fmt.Sprintf("FFN %d", l)), step.FFN[l][0], want.FFN[l][pos], 1e-5)
				}
				for l := range want.Attention {
					for h := range want.Attention[l] {
						compare(at(fmt.Sprintf("attention %d/%d", l, h)), step.Attention[l][h][0], want.Attention[l][h][pos][:pos+1], 1e-5)
					}
				}
			}
		})
	}
}

// whole3 is opts with logits at each of three new positions.
func whole3(opts family.StepOptions) family.StepOptions {
	opts.LogitsAt = []int{0, 1, 2}
	return opts
}

// model32 is model64 in float32, as a checkpoint loads.
func (ta testArch) model32(t *testing.T, rng *rand.Rand) *Model {
	t.Helper()
	m := ta.model64(t, rng)
	for i, w := range m.weights {
		values, err := tensors.CopyFlatData[float64](w)
		if err != nil {
			t.Fatal(err)
		}
		narrow := make([]float32, len(values))
		for j, v := range values {
			narrow[j] = float32(v)
		}
		m.weights[i] = tensors.FromFlatDataAndDimensions(narrow, w.Shape().Dimensions...)
	}
	return m
}
