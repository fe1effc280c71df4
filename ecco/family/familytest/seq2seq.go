package familytest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/internal/refdata"
	"github.com/gomlx/gomlx/core/tensors"
)

// RunSeq2SeqGoldens runs every reference check of an enc-dec model as subtests of t, on the
// model load returns: CheckSeq2Seq, CheckSeq2SeqAttributions, CheckSeq2SeqCaptures and, outside
// -short mode, CheckSeq2SeqGradients on the third prompt with the first three decoder inputs
// (the second target's gradient must vanish at the last: the decoder is causal).
func RunSeq2SeqGoldens(t *testing.T, load func(*testing.T) family.Seq2Seq, model string) {
	m := load(t)
	t.Run("logits and greedy", func(t *testing.T) { CheckSeq2Seq(t, m, model) })
	t.Run("attributions", func(t *testing.T) { CheckSeq2SeqAttributions(t, m, model) })
	t.Run("captures", func(t *testing.T) { CheckSeq2SeqCaptures(t, m, model) })
	t.Run("finite differences", func(t *testing.T) {
		if testing.Short() {
			t.Skip("slow: 2·64 forward passes per token checked")
		}
		g := refdata.LoadEncDec(t, model, 3)
		CheckSeq2SeqGradients(t, m, g.Input.IDs, g.Decoder.IDs[:3], g.Decoder.IDs[3])
	})
}

// CheckSeq2Seq runs the three reference prompts of an enc-dec model through m: the encoder's
// output and the first decoder step's logits within 1e-4, its top-10 ids exactly, and the greedy
// continuation exactly, with the KV cache and without it (each step rerunning the whole decoder
// sequence).
func CheckSeq2Seq(t *testing.T, m family.Seq2Seq, model string) {
	t.Helper()
	for p := 1; p <= 3; p++ {
		g := refdata.LoadEncDec(t, model, p)
		what := fmt.Sprintf("%s prompt %d", model, p)
		if m.DecoderStart() != g.Decoder.Start {
			t.Fatalf("%s: decoder start %d, want %d", what, m.DecoderStart(), g.Decoder.Start)
		}
		enc, _, err := m.Encode(g.Input.IDs, family.StepOptions{})
		if err != nil {
			t.Fatal(err)
		}
		states, err := tensors.CopyFlatData[float32](enc.States)
		if err != nil {
			t.Fatal(err)
		}
		Close(t, what+" encoder output", states, slices.Concat(g.FirstForward.EncoderOutput.Full...), 1e-4)
		first, err := m.Step(enc, []int{m.DecoderStart()}, nil, family.StepOptions{})
		if err != nil {
			t.Fatal(err)
		}
		logits := first.Logits[0]
		Close(t, what+" first-step logits", logits[:20], g.FirstForward.LogitsLastFirst20, 1e-4)
		top := TopIDs(logits, 10)
		if !slices.Equal(top, g.FirstForward.Top10IDsLast) {
			t.Errorf("%s: first-step top-10 ids %v, want %v", what, top, g.FirstForward.Top10IDsLast)
		}
		var topLogits []float32
		for _, id := range g.FirstForward.Top10IDsLast {
			topLogits = append(topLogits, logits[id])
		}
		Close(t, what+" first-step top-10 logits", topLogits, g.FirstForward.Top10LogitsLast, 1e-4)

		cached, cache, next := []int{}, first.Cache, top[0]
		for range g.Greedy.IDs {
			cached = append(cached, next)
			s, err := m.Step(enc, []int{next}, cache, family.StepOptions{})
			if err != nil {
				t.Fatal(err)
			}
			cache, next = s.Cache, TopIDs(s.Logits[0], 1)[0]
		}
		if !slices.Equal(cached, g.Greedy.IDs) {
			t.Errorf("%s: greedy with the cache %v, want %v", what, cached, g.Greedy.IDs)
		}
		seq := []int{m.DecoderStart()}
		for range g.Greedy.IDs {
			s, err := m.Step(enc, seq, nil, family.StepOptions{})
			if err != nil {
				t.Fatal(err)
			}
			seq = append(seq, TopIDs(s.Logits[0], 1)[0])
		}
		if !slices.Equal(seq, g.Decoder.IDs) {
			t.Errorf("%s: greedy without the cache %v, want %v", what, seq, g.Decoder.IDs)
		}
	}
}

// CheckSeq2SeqCache compares the logits of a decoder sequence run at once with those of one step per
// token through the KV cache.
func CheckSeq2SeqCache(t *testing.T, m family.Seq2Seq, src, dec []int, what string) {
	t.Helper()
	enc, _, err := m.Encode(src, family.StepOptions{})
	if err != nil {
		t.Fatal(err)
	}
	all := make([]int, len(dec))
	for i := range all {
		all[i] = i
	}
	whole, err := m.Step(enc, dec, nil, family.StepOptions{LogitsAt: all})
	if err != nil {
		t.Fatal(err)
	}
	var cache *family.Cache
	for i, id := range dec {
		s, err := m.Step(enc, []int{id}, cache, family.StepOptions{})
		if err != nil {
			t.Fatal(err)
		}
		cache = s.Cache
		want := make([]float64, len(s.Logits[0]))
		for j, v := range whole.Logits[i] {
			want[j] = float64(v)
		}
		Close(t, fmt.Sprintf("%s cached step %d", what, i), s.Logits[0], want, 1e-5)
	}
}
