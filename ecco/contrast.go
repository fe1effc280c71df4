package ecco

import (
	"errors"
	"fmt"
	"math"

	"github.com/ecco-go/ecco/ecco/family"
)

// ContrastOptions tunes AttributeContrast; nil means the defaults.
type ContrastOptions struct {
	IGSteps int // integrated-gradients steps; 0: DefaultIGSteps
}

// Contrast is a contrastive attribution: which input tokens make the model prefer the target's
// tokens over the foil's. Step i contrasts target token i with foil token i after the prompt and
// the target's first i tokens (forced decoding on the target).
type Contrast struct {
	Method    Method
	InputIDs  []int // the prompt's tokens
	TargetIDs []int // [G]
	FoilIDs   []int // [G]
	// Prob and Logit are [G][NInput+i] token scores of p(target_i) − p(foil_i) and of
	// logit(target_i) − logit(foil_i), aggregated as the method's plain scores are (tokenScores).
	Prob, Logit [][]float64
	// TargetProb and FoilProb are [G] probabilities at each step; LogitDiff is [G]
	// logit(target_i) − logit(foil_i), which equals log p(target_i) − log p(foil_i).
	TargetProb, FoilProb, LogitDiff []float64
}

// AttributeContrast attributes p(target) − p(foil) and logit(target) − logit(foil) to the tokens
// of prompt with a gradient method. target and foil must tokenize to the same number of tokens;
// foil = target gives zero scores.
func (lm *LM) AttributeContrast(prompt, target, foil string, method Method, opts *ContrastOptions) (*Contrast, error) {
	model, err := lm.causal()
	if err != nil {
		return nil, err
	}
	m, err := gradientMethod(method, "AttributeContrast")
	if err != nil {
		return nil, err
	}
	if opts == nil {
		opts = &ContrastOptions{}
	}
	steps := opts.IGSteps
	if steps == 0 {
		steps = DefaultIGSteps
	}
	if steps < 1 {
		return nil, fmt.Errorf("ecco: ContrastOptions.IGSteps %d: want at least 1", steps)
	}
	ids, err := lm.Encode(prompt)
	if err != nil {
		return nil, err
	}
	tids, fids := lm.Tokenizer.Encode(target), lm.Tokenizer.Encode(foil)
	if len(tids) == 0 || len(tids) != len(fids) {
		return nil, fmt.Errorf("ecco: contrast target %q (%d tokens) and foil %q (%d tokens): want the same number of tokens, at least one", target, len(tids), foil, len(fids))
	}
	return contrastIDs(model, ids, tids, fids, m, steps)
}

// contrastIDs contrasts the target ids tids with the foil ids fids step by step after the
// prompt ids (forced decoding on the target), with gradient method m.
func contrastIDs(model family.Model, ids, tids, fids []int, m Method, steps int) (*Contrast, error) {
	n := len(ids)
	if limit := model.Info().Positions; n+len(tids)-1 > limit {
		return nil, tooLong(n, len(tids)-1, limit)
	}
	all := append(append([]int{}, ids...), tids...)
	embeds, err := model.Embeddings(all[:n+len(tids)-1])
	if err != nil {
		return nil, err
	}
	d := model.Info().Width
	c := &Contrast{Method: m, InputIDs: ids, TargetIDs: tids, FoilIDs: fids}
	for i := range tids {
		prefix := embeds[:(n+i)*d]
		g, err := contrastGradients(model, prefix, n+i-1, tids[i], fids[i], m, steps)
		if err != nil {
			return nil, err
		}
		timesInput := m != Gradient
		c.Prob = append(c.Prob, tokenScores(prefix, g.prob, d, timesInput))
		c.Logit = append(c.Logit, tokenScores(prefix, g.logit, d, timesInput))
		c.TargetProb = append(c.TargetProb, g.pt)
		c.FoilProb = append(c.FoilProb, g.pf)
		c.LogitDiff = append(c.LogitDiff, math.Log(g.pt)-math.Log(g.pf))
	}
	return c, nil
}

// contrastGrads holds one step's contrastive gradients with respect to the embeddings [T, D]
// (integrated over α for integrated gradients) and the two probabilities at the embeddings.
type contrastGrads struct {
	prob, logit []float32 // ∂(p_t − p_f)/∂E and ∂(z_t − z_f)/∂E
	pt, pf      float64
}

// contrastGradients differentiates p_t − p_f and z_t − z_f at position pos of embeds [T, D].
// The family interface differentiates probabilities only; the logits' gradient follows exactly
// from them, because the log-sum-exp cancels in log p_t − log p_f = z_t − z_f, so
// ∂(z_t − z_f) = ∂p_t/p_t − ∂p_f/p_f. Integrated gradients needs that ratio per α row, so its
// logit part runs one more weighted pass per token, with weights w_k / p(α_k). A foil equal to
// the target is sent once, so that its differences are exactly zero rather than float32 noise.
func contrastGradients(model family.Model, embeds []float32, pos, t, f int, method Method, steps int) (*contrastGrads, error) {
	targets := []family.Target{{Position: pos, ID: t}, {Position: pos, ID: f}}
	if t == f {
		targets = targets[:1]
	}
	foil := len(targets) - 1 // the foil's index in targets and in the results
	if method != IntegratedGradients {
		probs, grads, err := model.EmbeddingGradients(embeds, 1, targets, []float32{1})
		if err != nil {
			return nil, err
		}
		pt, pf := float64(probs[0][0]), float64(probs[foil][0])
		if err := errors.Join(underflow(t, pt), underflow(f, pf)); err != nil {
			return nil, err
		}
		return &contrastGrads{
			prob:  combine(grads[0], grads[foil], 1, 1),
			logit: combine(grads[0], grads[foil], 1/pt, 1/pf),
			pt:    pt, pf: pf,
		}, nil
	}
	alphas, coef := igNodes(steps)
	positions := len(embeds) / model.Info().Width
	rows := gradientRows(model)
	chunks := (len(alphas)*len(targets)*positions + rows - 1) / rows
	size := (len(alphas) + chunks - 1) / chunks
	scaled := func(from, to int) []float32 { return scaledRows(embeds, alphas[from:to]) }
	probs, grads, err := chunkedGradients(model, targets, coef, size, scaled)
	if err != nil {
		return nil, err
	}
	pt, pf := float64(probs[0][steps]), float64(probs[foil][steps]) // the α = 1 row
	perLogit := make([][]float32, len(targets))
	for j := range targets {
		w := make([]float32, len(coef))
		for k := range steps {
			p := float64(probs[j][k])
			if err := underflow(targets[j].ID, p); err != nil {
				return nil, err
			}
			w[k] = float32(float64(coef[k]) / p)
		}
		_, g, err := chunkedGradients(model, targets[j:j+1], w, size, scaled)
		if err != nil {
			return nil, err
		}
		perLogit[j] = g[0]
	}
	return &contrastGrads{
		prob:  combine(grads[0], grads[foil], 1, 1),
		logit: combine(perLogit[0], perLogit[foil], 1, 1),
		pt:    pt, pf: pf,
	}, nil
}

// underflow rejects a probability that underflowed float32: the logit gradient divides by it.
func underflow(id int, p float64) error {
	if p > 0 {
		return nil
	}
	return fmt.Errorf("ecco: p(token %d) = %g underflows float32, so its logit's gradient cannot be derived from it: choose a likelier token", id, p)
}

// combine returns a·x − b·y, computed in float64.
func combine(x, y []float32, a, b float64) []float32 {
	out := make([]float32, len(x))
	for i := range x {
		out[i] = float32(a*float64(x[i]) - b*float64(y[i]))
	}
	return out
}
