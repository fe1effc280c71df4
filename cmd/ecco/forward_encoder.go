package main

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ecco-go/ecco/ecco"
)

// encoderFlags are the flags of `ecco forward` that explain an encoder (BERT).
type encoderFlags struct {
	activations bool
	nmf         int
	maskTop     int
	attribution string
	methods     []ecco.Method
}

func (e *encoderFlags) declare(fs *flag.FlagSet) {
	fs.BoolVar(&e.activations, "activations", false, "encoders: capture the FFN neuron activations of every layer at every token")
	fs.IntVar(&e.nmf, "nmf", 0, "encoders: factorise the activations into `K` NMF factors (needs -activations); 0: off")
	fs.IntVar(&e.maskTop, "mask-top", 0, "encoders: write the MLM head's top `K` tokens at every [MASK] to the JSON; 0: off")
	fs.StringVar(&e.attribution, "attribution", "", "encoders: comma-separated attribution `methods` of each [MASK]'s top prediction (needs -mask-top): grad_x_input, gradient, integrated_gradients, attention_last, attention_rollout, value_zeroing")
}

// validate checks the encoder flags before any model is loaded.
func (e *encoderFlags) validate(jsonPath string) error {
	switch {
	case e.nmf < 0:
		return usageErrorf("-nmf %d: want 0 (off) or a positive number of factors", e.nmf)
	case e.nmf > 0 && !e.activations:
		return usageErrorf("-nmf %d needs -activations: NMF factorises the captured neuron activations", e.nmf)
	case e.maskTop < 0:
		return usageErrorf("-mask-top %d: want 0 (off) or a positive number of tokens", e.maskTop)
	case e.attribution != "" && e.maskTop == 0:
		return usageErrorf("-attribution explains the top prediction at each [MASK]: add -mask-top K")
	case e.used() && jsonPath == "":
		return usageErrorf("the requested results would be lost: add -json FILE to save them")
	}
	methods, err := parseMethodList(e.attribution)
	e.methods = methods
	return err
}

// used reports whether any encoder flag was given.
func (e *encoderFlags) used() bool {
	return e.activations || e.nmf > 0 || e.maskTop > 0 || e.attribution != ""
}

// options are FromPretrained's options for these flags.
func (e *encoderFlags) options() []ecco.Option {
	if e.activations {
		return []ecco.Option{ecco.WithActivations()}
	}
	return nil
}

// parseMethodList reads -attribution's comma-separated method names.
func parseMethodList(list string) ([]ecco.Method, error) {
	var methods []ecco.Method
	if list == "" {
		return nil, nil
	}
	for _, name := range strings.Split(list, ",") {
		m, err := ecco.ParseMethod(name)
		if err != nil {
			return nil, usageErrorf("-attribution: %s", trimEccoPrefix(err))
		}
		methods = append(methods, m)
	}
	return methods, nil
}

// runEncoderForward runs an encoder over prompt, writes what the flags ask to jsonPath and
// prints each [MASK]'s top predictions (or, without a [MASK], the tokens).
func runEncoderForward(lm *ecco.LM, prompt, jsonPath string, top int, e *encoderFlags, stdout io.Writer) error {
	out, err := lm.ForwardEncoder(prompt)
	if err != nil {
		return err
	}
	if jsonPath != "" {
		if err := addEncoderResults(out, e); err != nil {
			return err
		}
		if err := out.Save(jsonPath); err != nil {
			return err
		}
	}
	if top == 0 {
		return nil
	}
	enc, _ := lm.Encoder()
	if _, err := out.MaskPositions(); err != nil || !enc.HasMLMHead() {
		for i, id := range out.TokenIDs {
			if _, err := fmt.Fprintf(stdout, "%d\t%d\t%s\n", i, id, strconv.Quote(out.Tokens[i])); err != nil {
				return err
			}
		}
		return nil
	}
	preds, err := out.MaskedPredictions(top)
	if err != nil {
		return err
	}
	for _, p := range preds {
		for rank, id := range p.IDs {
			if _, err := fmt.Fprintf(stdout, "[MASK]@%d\t%d\t%d\t%s\t%.4f\n", p.Position, rank+1, id, strconv.Quote(p.Tokens[rank]), p.Probs[rank]); err != nil {
				return err
			}
		}
	}
	return nil
}

// addEncoderResults computes the results the flags ask for and keeps them in out (its NMF and
// Masked fields), so that -json writes them with the Output.
func addEncoderResults(out *ecco.Output, e *encoderFlags) error {
	if err := out.Keep(nil, ecco.Saved{NMF: e.nmf}); err != nil {
		return err
	}
	if e.maskTop == 0 {
		return nil
	}
	masked, err := out.MaskResults(e.maskTop, e.methods...)
	if err != nil {
		return err
	}
	out.Masked = masked
	return nil
}
