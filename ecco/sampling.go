package ecco

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Ecco's sampling defaults: HuggingFace's generation config defaults, which Ecco passes along.
const (
	DefaultTemperature = 1.0
	DefaultTopK        = 50
	DefaultTopP        = 1.0
)

// Candidate is a token kept by the sampling filters, with its probability after them.
type Candidate struct {
	ID   int
	Prob float64
}

// samplingParams are validated sampling settings with Ecco's defaults filled in.
type samplingParams struct {
	temperature float64
	topK        int // 0: no top-k filter
	topP        float64
}

func (o *GenerateOptions) sampling() (samplingParams, error) {
	p := samplingParams{temperature: o.Temperature, topK: o.TopK, topP: o.TopP}
	if p.temperature == 0 {
		p.temperature = DefaultTemperature
	}
	switch {
	case p.topK == 0:
		p.topK = DefaultTopK
	case p.topK < 0:
		p.topK = 0
	}
	if p.topP == 0 {
		p.topP = DefaultTopP
	}
	if !(p.temperature > 0) || math.IsInf(p.temperature, 0) {
		return p, fmt.Errorf("ecco: temperature %g: want a positive number", o.Temperature)
	}
	if !(p.topP > 0 && p.topP <= 1) {
		return p, fmt.Errorf("ecco: top-p %g: want a number in (0, 1]", o.TopP)
	}
	return p, nil
}

// Filter applies HuggingFace's logits warpers in their order (temperature, then top-k, then
// top-p) and returns the tokens that keep a finite score, with their softmax probabilities,
// most probable first. Arithmetic is float32, as in torch, so the boundary cases agree.
// temperature must be positive and finite (HuggingFace refuses 0 too), topP in (0, 1], topK ≤ 0
// means no top-k filter, and logits must hold at least one finite value.
func Filter(logits []float32, temperature float64, topK int, topP float64) ([]Candidate, error) {
	if err := checkFilter(logits, temperature, topP); err != nil {
		return nil, err
	}
	scores := make([]float32, len(logits))
	for i, l := range logits {
		scores[i] = l / float32(temperature)
	}
	order := make([]int, len(scores)) // descending score
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(scores[b], scores[a]) })
	kept := order
	if topK > 0 && topK < len(order) {
		threshold := scores[order[topK-1]] // HF keeps every score >= the k-th largest
		n := topK
		for n < len(order) && scores[order[n]] >= threshold {
			n++
		}
		kept = order[:n]
	}
	probs := softmax32(scores, kept)
	if topP < 1 {
		// HF sorts ascending, removes tokens whose cumulative probability is <= 1-topP, and always
		// keeps the most probable one. torch accumulates the float32 cumsum in float64 and compares
		// each float32 sum with 1-topP rounded to float32.
		var cum float64
		cut := 0
		for i := len(kept) - 1; i >= 1; i-- {
			cum += float64(probs[i])
			if float32(cum) > float32(1-topP) {
				break
			}
			cut++
		}
		kept = kept[:len(kept)-cut]
		probs = softmax32(scores, kept)
	}
	out := make([]Candidate, len(kept))
	for i, id := range kept {
		out[i] = Candidate{ID: id, Prob: float64(probs[i])}
	}
	return out, nil
}

// checkFilter rejects what would make Filter's probabilities NaN or empty.
func checkFilter(logits []float32, temperature, topP float64) error {
	if len(logits) == 0 {
		return fmt.Errorf("ecco: Filter: no logits given: want one score per vocabulary token")
	}
	if !(temperature > 0) || math.IsInf(temperature, 0) {
		return fmt.Errorf("ecco: Filter: temperature %g: want a positive finite number (1 leaves the logits as they are)", temperature)
	}
	if !(topP > 0 && topP <= 1) {
		return fmt.Errorf("ecco: Filter: top-p %g: want a number in (0, 1]", topP)
	}
	for _, l := range logits {
		if !math.IsNaN(float64(l)) && !math.IsInf(float64(l), 0) {
			return nil
		}
	}
	return fmt.Errorf("ecco: Filter: none of the %d logits is a finite number", len(logits))
}

// softmax32 is the softmax of scores restricted to ids, in float32.
func softmax32(scores []float32, ids []int) []float32 {
	maxScore := scores[ids[0]]
	for _, id := range ids {
		maxScore = max(maxScore, scores[id])
	}
	probs := make([]float32, len(ids))
	var sum float64
	for i, id := range ids {
		probs[i] = float32(math.Exp(float64(scores[id] - maxScore)))
		sum += float64(probs[i])
	}
	for i := range probs {
		probs[i] /= float32(sum)
	}
	return probs
}

// sample draws from the filtered distribution.
func sample(cands []Candidate, rng *rand.Rand) int {
	u := rng.Float64()
	var cum float64
	for _, c := range cands {
		cum += c.Prob
		if u < cum {
			return c.ID
		}
	}
	return cands[len(cands)-1].ID
}

// argmax32 is greedy decoding: the first index of the largest logit, as torch.argmax.
func argmax32(xs []float32) int {
	best := 0
	for i, x := range xs {
		if x > xs[best] {
			best = i
		}
	}
	return best
}
