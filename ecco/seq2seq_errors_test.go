package ecco

import (
	"strings"
	"testing"
)

// TestSeq2SeqBadInput: what an encoder–decoder cannot do is one clear error each.
func TestSeq2SeqBadInput(t *testing.T) {
	lm := reference(t, "tiny-bart-a")
	if s := lm.String(); !strings.Contains(s, "bart encoder-decoder") || !strings.Contains(s, "2 encoder + 2 decoder layers") {
		t.Errorf("String() = %q, want the kind and both stacks", s)
	}
	long := strings.Repeat(" word", lm.seq2seq.EncoderInfo().Positions+1)
	out, err := lm.Generate("Hello, my dog", GenerateOptions{Tokens: 2})
	if err != nil {
		t.Fatal(err)
	}
	for what, err := range map[string]error{
		"more than the encoder's 128 positions": second(lm.Generate(long, GenerateOptions{Tokens: 1})),
		"attention capture is for causal":       second(lm.Generate("Hi", GenerateOptions{Tokens: 1, Attention: true})),
		"occlusion is not available":            second(lm.Generate("Hi", GenerateOptions{Tokens: 1, Attribution: []Method{Occlusion}})),
		"value_zeroing is not available":        second(out.Attribution(ValueZeroing)),
		"attention_rollout is not available":    second(out.Attribution(AttentionRollout)),
		"encoder-decoder model (T5, BART)":      second(lm.Forward("Hi", false)),
		"needs a causal model":                  occlusionErr(lm),
		"the decoder's start token is at 4":     second(out.PredictionsAt(4, 5, -1, LensEcco)),
		`NMFOptions.Stack "middle"`:             second(out.RunNMF(2, &NMFOptions{Stack: "middle"})),
	} {
		if err == nil || !strings.Contains(err.Error(), what) {
			t.Errorf("got %v, want an error containing %q", err, what)
		}
	}
}

func second[T any](_ T, err error) error { return err }

func occlusionErr(lm *LM) error {
	_, _, err := lm.Occlusion("Hi", " there", nil)
	return err
}
