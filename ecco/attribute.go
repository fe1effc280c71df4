package ecco

import (
	"fmt"
)

// Attribute explains a given continuation of prompt without sampling it (forced decoding):
// the continuation's tokens are scored as if the model had generated them. For an
// encoder–decoder the prompt is the source and the continuation the target. Activations and
// hidden states are captured as Generate does, from one forward pass. A result cache keeps it
// as it keeps Generate's.
func (lm *LM) Attribute(prompt, continuation string, methods ...Method) (*Output, error) {
	return lm.cached(lm.storeKey("attribute", prompt, continuation, methods), func() (*Output, error) {
		return lm.attribute(prompt, continuation, methods)
	})
}

func (lm *LM) attribute(prompt, continuation string, methods []Method) (*Output, error) {
	parsed, err := parseMethods(methods)
	if err != nil {
		return nil, err
	}
	ids, err := lm.Encode(prompt)
	if err != nil {
		return nil, err
	}
	cont := lm.Tokenizer.Encode(continuation)
	if len(cont) == 0 {
		return nil, fmt.Errorf("ecco: the continuation %q tokenizes to nothing: give the text to attribute", continuation)
	}
	if lm.seq2seq != nil {
		return lm.attributeSeq2Seq(ids, cont, parsed)
	}
	model, err := lm.causal()
	if err != nil {
		return nil, err
	}
	n := len(ids)
	ids = append(ids, cont...)
	if limit := model.Info().Positions; len(ids) > limit {
		return nil, tooLong(n, len(cont), limit)
	}
	rec := newRecorder(lm)
	step, err := model.Step(ids[:len(ids)-1], nil, rec.stepOptions()) // Ecco's n+G−1 positions
	if err != nil {
		return nil, err
	}
	rec.add(step)
	opts := GenerateOptions{Tokens: len(cont), Attribution: parsed}
	out := lm.newOutput(ids, n, opts)
	rec.fill(out)
	if err := out.computeAttributions(parsed, nil); err != nil {
		return nil, err
	}
	return out, nil
}
