package decoder_test

import (
	"fmt"
	"testing"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/llama"
	"github.com/gomlx/compute/gobackend"
)

// TestHeadWithoutColumns: a model without the head's [D, V] copy (as one over copyLimit) gives
// the same logits, lens logits and gradients as with it.
func TestHeadWithoutColumns(t *testing.T) {
	backend, err := gobackend.New("ops_sequential")
	if err != nil {
		t.Fatal(err)
	}
	with, err := llama.Load(backend, "../../../tests/testdata/models/tiny-qwen2-a")
	if err != nil {
		t.Fatal(err)
	}
	without := with.WithoutHeadColumns()
	ids := []int{464, 2068, 7586, 21831, 18045, 625, 262, 16931, 3290}
	var outs [2]*family.StepOutput
	var lens, probs, grads [2][][]float32
	for i, m := range []family.Model{with, without} {
		if outs[i], err = m.Step(ids, nil, family.StepOptions{Hidden: true}); err != nil {
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
	compare(t, "step logits", outs[1].Logits[0], outs[0].Logits[0], 1e-5)
	for j := range lens[0] {
		compare(t, fmt.Sprintf("lens logits at %d", j), lens[1][j], lens[0][j], 1e-5)
	}
	for j := range probs[0] {
		compare(t, fmt.Sprintf("target %d: F", j), probs[1][j], probs[0][j], 1e-5)
		compare(t, fmt.Sprintf("target %d: gradient", j), grads[1][j], grads[0][j], 1e-5)
	}
}
