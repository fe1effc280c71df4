package ecco

import (
	"fmt"
	"slices"

	"github.com/ecco-go/ecco/ecco/family"
)

// Contrastive is the contrastive attribution of an Output's generated tokens against a foil
// text of as many tokens: step i attributes p(generated_i) − p(foil_i) and logit(generated_i) −
// logit(foil_i) after the prompt and the generated tokens before i, as AttributeContrast does
// with the generated text as its target. It is the "contrastive" object of the saved Output.
type Contrastive struct {
	Foil    string `json:"foil"`
	FoilIDs []int  `json:"foil_ids"` // [G]
	// Methods by gradient method name.
	Methods    map[string]*ContrastScores `json:"methods"`
	TargetProb []float64                  `json:"target_prob"` // [G] p(generated_i)
	FoilProb   []float64                  `json:"foil_prob"`   // [G] p(foil_i) at the same step
}

// ContrastScores are one method's contrastive token scores, [G][NInput+i], aggregated as the
// method's plain attributions are (non-negative, summing to 1 per step).
type ContrastScores struct {
	Probability [][]float64 `json:"probability"` // of p(target) − p(foil)
	Logit       [][]float64 `json:"logit"`       // of logit(target) − logit(foil)
}

// ContrastFoil contrasts every generated token with the foil's token at the same step, with
// each gradient method among methods (the others are skipped: they have no contrastive form),
// and keeps the result in the Output (field Contrastive, saved by Save; a new foil replaces
// the old one). foil must tokenize to as many tokens as were generated: a sequence compared
// step by step answers "why this text rather than that one", and a one-token foil with one
// generated token the usual "why X rather than Y". Integrated gradients uses the Output's
// IGSteps.
func (o *Output) ContrastFoil(foil string, methods []Method) (*Contrastive, error) {
	parsed, err := parseMethods(methods)
	if err != nil {
		return nil, err
	}
	parsed = slices.DeleteFunc(parsed, func(m Method) bool { return !m.IsGradient() })
	if len(parsed) == 0 {
		return nil, fmt.Errorf("ecco: contrast with %q: methods %v hold no gradient method (%s, %s or %s)", foil, methods, GradXInput, Gradient, IntegratedGradients)
	}
	lm, model, err := o.attachedCausal(fmt.Sprintf("contrast with %q", foil))
	if err != nil {
		return nil, err
	}
	steps, err := o.igSteps()
	if err != nil {
		return nil, err
	}
	fids := lm.Tokenizer.Encode(foil)
	if len(fids) != o.NGenerated() {
		return nil, fmt.Errorf("ecco: foil %q tokenizes to %d tokens %v, want one per generated token (%d): step i contrasts generated token i with foil token i", foil, len(fids), fids, o.NGenerated())
	}
	c := &Contrastive{Foil: foil, FoilIDs: fids, Methods: map[string]*ContrastScores{}}
	for _, m := range parsed {
		r, err := contrastIDs(model, o.TokenIDs[:o.NInput], o.GeneratedIDs(), fids, m, steps)
		if err != nil {
			return nil, err
		}
		c.Methods[string(m)] = &ContrastScores{Probability: r.Prob, Logit: r.Logit}
		c.TargetProb, c.FoilProb = r.TargetProb, r.FoilProb
	}
	o.mu.Lock()
	if old := o.Contrastive; old != nil && old.Foil == foil && slices.Equal(old.FoilIDs, fids) {
		for name, s := range old.Methods {
			if _, ok := c.Methods[name]; !ok {
				c.Methods[name] = s
			}
		}
	}
	o.Contrastive = c
	o.mu.Unlock()
	o.persist()
	return c, nil
}

// IsGradient reports whether m is a gradient method (grad×input, gradient, integrated
// gradients): the methods with a contrastive form.
func (m Method) IsGradient() bool {
	return m == GradXInput || m == Gradient || m == IntegratedGradients
}

// Contrast contrasts generated token step with a one-token foil after the prompt and the
// generated tokens before it, with a gradient method: the Output's step as AttributeContrast
// sees it (InputIDs then hold that prefix). It is not kept in the Output.
func (o *Output) Contrast(step int, foil string, method Method, opts *ContrastOptions) (*Contrast, error) {
	if step < 0 || step >= o.NGenerated() {
		return nil, fmt.Errorf("ecco: contrast step %d: want one of the %d generated tokens (0..%d)", step, o.NGenerated(), o.NGenerated()-1)
	}
	m, err := gradientMethod(method, "Output.Contrast")
	if err != nil {
		return nil, err
	}
	lm, model, err := o.attachedCausal(fmt.Sprintf("contrast with %q", foil))
	if err != nil {
		return nil, err
	}
	steps := DefaultIGSteps
	if opts != nil && opts.IGSteps != 0 {
		steps = opts.IGSteps
	}
	if steps < 1 {
		return nil, fmt.Errorf("ecco: ContrastOptions.IGSteps %d: want at least 1", steps)
	}
	fids := lm.Tokenizer.Encode(foil)
	if len(fids) != 1 {
		return nil, fmt.Errorf("ecco: foil %q tokenizes to %d tokens %v, want one token to contrast with generated token %d", foil, len(fids), fids, step)
	}
	at := o.NInput + step
	return contrastIDs(model, o.TokenIDs[:at], o.TokenIDs[at:at+1], fids, m, steps)
}

// attachedCausal is the attached LM and its causal model; what names the call in the error.
func (o *Output) attachedCausal(what string) (*LM, family.Model, error) {
	lm := o.model()
	if lm == nil {
		return nil, nil, fmt.Errorf("ecco: %s: no model is attached: call out.Attach(lm) first", what)
	}
	model, err := lm.causal()
	return lm, model, err
}

// validateExplanations checks the faithfulness and contrastive results of a loaded Output.
func (o *Output) validateExplanations() error {
	g := o.NGenerated()
	if err := o.Faithfulness.validate(g); err != nil {
		return err
	}
	c := o.Contrastive
	if c == nil {
		return nil
	}
	if len(c.FoilIDs) != g || len(c.TargetProb) != g || len(c.FoilProb) != g {
		return fmt.Errorf("contrastive: %d foil ids, %d target and %d foil probabilities for %d generated tokens", len(c.FoilIDs), len(c.TargetProb), len(c.FoilProb), g)
	}
	for name, s := range c.Methods {
		if s == nil || len(s.Probability) != g || len(s.Logit) != g {
			return fmt.Errorf("contrastive %q does not cover the %d generated tokens", name, g)
		}
		for i := range g {
			if len(s.Probability[i]) != o.NInput+i || len(s.Logit[i]) != o.NInput+i {
				return fmt.Errorf("contrastive %q step %d: want %d token scores", name, i, o.NInput+i)
			}
		}
	}
	return nil
}
