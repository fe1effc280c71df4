package main

import (
	"flag"
	"slices"

	"github.com/ecco-go/ecco/ecco"
)

// explainFlags are `ecco generate`'s explanations beyond attribution: -contrast FOIL and
// -faithfulness. Both work on the methods of -attribution.
type explainFlags struct {
	contrast     string
	faithfulness bool
}

func (e *explainFlags) declare(fs *flag.FlagSet) {
	fs.StringVar(&e.contrast, "contrast", "", "contrast each generated token with the foil's token at the same step: the `FOIL` text must tokenize to -n tokens "+
		"(one token with -n 1: why this token rather than that one); attributes p(target) − p(foil) and the logit difference with each gradient method of -attribution")
	fs.BoolVar(&e.faithfulness, "faithfulness", false, "measure each -attribution method's comprehensiveness, sufficiency and their AOPC (k = 10, 20, 50 % of the tokens, removed by the zero embedding)")
}

// validate checks the flags against the methods of -attribution, before any model is loaded.
func (e *explainFlags) validate(methods []ecco.Method, stopAtEOS bool) error {
	if e.faithfulness && len(methods) == 0 {
		return usageErrorf("-faithfulness needs -attribution METHODS: it measures those methods")
	}
	if e.contrast == "" {
		return nil
	}
	if !slices.ContainsFunc(methods, ecco.Method.IsGradient) {
		return usageErrorf("-contrast needs a gradient method in -attribution (grad_x_input, gradient or integrated_gradients)")
	}
	if stopAtEOS {
		return usageErrorf("-contrast with -stop-at-eos: the foil needs one token per generated token, so the generation must run all -n tokens")
	}
	return nil
}

// checkFoil refuses, before generating, a foil whose token count differs from -n.
func (e *explainFlags) checkFoil(lm *ecco.LM, n int) error {
	if e.contrast == "" {
		return nil
	}
	if ids := lm.Tokenizer.Encode(e.contrast); len(ids) != n {
		return usageErrorf("-contrast %q tokenizes to %d tokens %v, want -n %d: step i contrasts generated token i with foil token i", e.contrast, len(ids), ids, n)
	}
	return nil
}

// apply computes the contrast and faithfulness the flags ask for, kept in out for -json and -html.
func (e *explainFlags) apply(out *ecco.Output, methods []ecco.Method) error {
	if e.contrast != "" {
		if _, err := out.ContrastFoil(e.contrast, methods); err != nil {
			return err
		}
	}
	if e.faithfulness {
		if _, err := out.ScoreFaithfulness(methods, nil); err != nil {
			return err
		}
	}
	return nil
}
