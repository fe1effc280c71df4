package ecco

import (
	"errors"
	"fmt"
	"slices"

	"github.com/ecco-go/ecco/ecco/family"
)

// generateSeq2Seq is Generate on an encoder–decoder: the source ids run once through the
// encoder, the decoder starts from DecoderStart and continues with the KV cache as a causal
// model does.
func (lm *LM) generateSeq2Seq(ids []int, opts GenerateOptions, params samplingParams, methods []Method) (*Output, error) {
	m := lm.seq2seq
	if err := checkSeq2Seq(m, len(ids), opts, methods); err != nil {
		return nil, err
	}
	live, liveDone := lm.liveProgress(ids)
	defer liveDone()
	progress := live.then(opts.Progress)
	enc, encRec, err := lm.encodeSource(ids)
	if err != nil {
		return nil, err
	}
	rec := newRecorder(lm)
	step, err := m.Step(enc, []int{m.DecoderStart()}, nil, rec.stepOptions())
	if err != nil {
		return nil, err
	}
	rec.add(step)
	next := func(id int, cache *family.Cache) (*family.StepOutput, error) {
		return m.Step(enc, []int{id}, cache, rec.stepOptions())
	}
	gen, err := lm.decode(step, next, rec, opts, params, progress)
	if err != nil {
		return nil, err
	}
	out := lm.seq2seqOutput(ids, gen, opts, encRec, rec)
	if err := out.computeAttributions(methods, progress); err != nil {
		return nil, err
	}
	return out, nil
}

// attributeSeq2Seq is Attribute on an encoder–decoder: the continuation is the target, fed to
// the decoder after its start token in one pass (forced decoding), and attributed as Generate's
// tokens are.
func (lm *LM) attributeSeq2Seq(ids, cont []int, methods []Method) (*Output, error) {
	m := lm.seq2seq
	opts := GenerateOptions{Tokens: len(cont), Attribution: methods}
	if err := checkSeq2Seq(m, len(ids), opts, methods); err != nil {
		return nil, err
	}
	enc, encRec, err := lm.encodeSource(ids)
	if err != nil {
		return nil, err
	}
	rec := newRecorder(lm)
	step, err := m.Step(enc, append([]int{m.DecoderStart()}, cont[:len(cont)-1]...), nil, rec.stepOptions()) // Ecco's positions
	if err != nil {
		return nil, err
	}
	rec.add(step)
	out := lm.seq2seqOutput(ids, cont, opts, encRec, rec)
	if err := out.computeAttributions(methods, nil); err != nil {
		return nil, err
	}
	return out, nil
}

// encodeSource runs the encoder over the source ids, recording its FFN neurons when the LM
// captures activations.
func (lm *LM) encodeSource(ids []int) (*family.Encoded, *recorder, error) {
	rec := &recorder{layers: lm.encoderActivationLayers()}
	enc, step, err := lm.seq2seq.Encode(ids, family.StepOptions{FFN: rec.layers != nil})
	if err != nil {
		return nil, nil, err
	}
	rec.add(step)
	return enc, rec, nil
}

// seq2seqOutput is the Output of source ids and the generated (or given) target ids gen, with
// the states the encoder's and the decoder's recorders captured.
func (lm *LM) seq2seqOutput(ids, gen []int, opts GenerateOptions, encRec, rec *recorder) *Output {
	m := lm.seq2seq
	out := lm.newOutput(slices.Concat(ids, []int{m.DecoderStart()}, gen), len(ids), opts)
	out.EncoderDecoder = true
	out.Config.NEncoderLayer = m.EncoderInfo().Layers
	out.GeneratedText = lm.Tokenizer.Decode(gen)
	rec.fill(out)
	if encRec.layers != nil {
		out.EncoderActivationLayers = encRec.layers
		for _, rows := range encRec.ffn {
			out.EncoderActivations = append(out.EncoderActivations, transpose(rows))
		}
	}
	return out
}

// checkSeq2Seq refuses, before any work, what an encoder–decoder Output cannot hold and a
// source or target longer than the model takes.
func checkSeq2Seq(m family.Seq2Seq, n int, opts GenerateOptions, methods []Method) error {
	if opts.Attention {
		return errors.New("ecco: GenerateOptions.Attention: attention capture is for causal models; an encoder-decoder has " +
			"self- and cross-attention, which ecco-go does not capture yet")
	}
	for _, method := range methods {
		if err := seq2seqMethod(method); err != nil {
			return err
		}
	}
	if limit := m.EncoderInfo().Positions; n > limit {
		return fmt.Errorf("ecco: the source is %d tokens, more than the encoder's %d positions: shorten the prompt", n, limit)
	}
	if limit := m.Info().Positions; opts.Tokens+1 > limit {
		return fmt.Errorf("ecco: %d target tokens and the start token exceed the decoder's %d positions: ask for at most %d", opts.Tokens, limit, limit-1)
	}
	return nil
}
