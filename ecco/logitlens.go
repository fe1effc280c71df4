package ecco

import (
	"cmp"
	"fmt"
	"math"

	"github.com/ecco-go/ecco/ecco/family"
)

// Lens picks how a layer's hidden state becomes a prediction.
type Lens string

const (
	// LensEcco is Ecco's convention (the default): layers below the last get the LM head without
	// the final layer norm; the last layer's state already includes it. It is what Ecco's
	// rankings and layer_predictions show.
	LensEcco Lens = "ecco"
	// LensLnF is the classic logit lens: lm_head(ln_f(h)) at every layer. Lower layers' residual
	// streams are not normalised, so without ln_f their logits are dominated by the scale of h;
	// with it, they are read the way the last layer is.
	LensLnF Lens = "ln_f"
)

// lensTopK is how many top tokens per layer and generated token the Output keeps.
const lensTopK = 10

// ParseLens accepts "ecco" (or "") and "ln_f".
func ParseLens(name string) (Lens, error) {
	switch Lens(name) {
	case "", LensEcco:
		return LensEcco, nil
	case LensLnF:
		return LensLnF, nil
	}
	return "", fmt.Errorf("ecco: unknown logit lens %q: want %q or %q", name, LensEcco, LensLnF)
}

// LensData returns the logit lens of every layer for every generated token, computing it with
// the model the first time and keeping it in the Output (so it is saved with it). LM.LogitLens
// is the lens over every position of a sequence.
func (o *Output) LensData(lens Lens) (*LensData, error) {
	lens, err := ParseLens(string(lens))
	if err != nil {
		return nil, err
	}
	if d := o.cachedLens(lens); d != nil {
		return d, nil
	}
	o.lazy.Lock()
	defer o.lazy.Unlock()
	if d := o.cachedLens(lens); d != nil { // computed while this call waited
		return d, nil
	}
	if o.NGenerated() == 0 {
		return nil, fmt.Errorf("ecco: the logit lens reads generated tokens and this Output has none")
	}
	positions := make([]int, o.NGenerated())
	for j := range positions {
		positions[j] = o.FirstGenerated() + j - 1
	}
	logits, err := o.layerLogits(lens, positions) // [L][G][V]
	if err != nil {
		return nil, err
	}
	d := &LensData{}
	gen := o.GeneratedIDs()
	for l := range logits {
		ranks, top1 := make([]int, len(gen)), make([]int, len(gen))
		for j, row := range logits[l] {
			ranks[j], top1[j] = rankOf(row, gen[j]), argmax32(row)
		}
		d.RankOfGenerated = append(d.RankOfGenerated, ranks)
		d.LayerTop1 = append(d.LayerTop1, top1)
	}
	for j := range gen {
		var ids [][]int
		var probs [][]float64
		var tokens [][]string
		for l := range logits {
			i, p := topK(logits[l][j], lensTopK)
			ids, probs, tokens = append(ids, i), append(probs, p), append(tokens, o.displayTokenTexts(i))
		}
		d.TopIDs, d.TopProbs, d.TopTokens = append(d.TopIDs, ids), append(d.TopProbs, probs), append(d.TopTokens, tokens)
	}
	o.mu.Lock()
	if o.Lens == nil {
		o.Lens = map[string]*LensData{}
	}
	o.Lens[string(lens)] = d
	o.mu.Unlock()
	o.persist()
	return d, nil
}

// cachedLens is the kept lens of one convention, or nil.
func (o *Output) cachedLens(lens Lens) *LensData {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.Lens[string(lens)]
}

// layerLogits applies the LM head to every layer's hidden state at the given positions of the
// sequence: [L][K][V].
func (o *Output) layerLogits(lens Lens, positions []int) ([][][]float32, error) {
	lm := o.model()
	if lm == nil {
		return nil, fmt.Errorf("ecco: the logit lens needs the model: call out.Attach(lm) first")
	}
	var model lensHead = lm.seq2seq // an encoder–decoder's lens reads its decoder
	if lm.seq2seq == nil {
		causal, err := lm.causal()
		if err != nil {
			return nil, err
		}
		model = causal
	}
	if len(o.Hidden) != o.Config.NLayer+1 {
		return nil, fmt.Errorf("ecco: this Output holds no hidden states: generate it again with this version")
	}
	vocab := max(1, model.Info().Vocab)
	var out [][][]float32
	for l := 1; l <= o.Config.NLayer; {
		// Layers of one norm convention share a call while their logits stay under lensValues.
		norm := lens == LensLnF && l < model.Info().Layers
		var states [][]float32
		first := l
		for ; l <= o.Config.NLayer && (lens == LensLnF && l < model.Info().Layers) == norm; l++ {
			if l > first && (len(states)+len(positions))*vocab > lensValues {
				break
			}
			for _, p := range positions {
				p -= o.hiddenOffset()
				if p < 0 || p >= len(o.Hidden[l]) {
					return nil, fmt.Errorf("ecco: no hidden state at position %d (have %d)", p, len(o.Hidden[l]))
				}
				states = append(states, o.Hidden[l][p])
			}
		}
		logits, err := model.LMHead(states, norm)
		if err != nil {
			return nil, err
		}
		for from := 0; from < len(logits); from += len(positions) {
			out = append(out, logits[from:from+len(positions)])
		}
	}
	return out, nil
}

// lensValues bounds the logits of one LM head call of the lens (rows × vocabulary): layers share
// a call up to it. Why: every call passes the whole head through the matrix kernels' packing once,
// and SmolLM-135M's lens over 35 tokens took 30 calls (BENCHMARKS.md, "Top tokens without
// sorting the vocabulary"); the bound keeps a call's logits near 64 MB.
const lensValues = 16 << 20

// lensHead is a model with an LM head for the logit lens: a causal model or an encoder–decoder
// (its decoder's head).
type lensHead interface {
	Info() family.Info
	LMHead(states [][]float32, norm bool) ([][]float32, error)
}

// lensLogits reads hidden_states[layer] (1..L) through the LM head with the lens convention: the
// classic lens adds the family's final norm (ln_f, model.norm) below the last layer, whose state
// already has it. Ecco 0.1.2 reads GPT-2, GPT-Neo and LLaMA alike: no final norm below the last.
func lensLogits(m lensHead, states [][]float32, layer int, lens Lens) ([][]float32, error) {
	return m.LMHead(states, lens == LensLnF && layer < m.Info().Layers)
}

// rankOf is 1 + the number of logits strictly greater than logits[id].
func rankOf(logits []float32, id int) int {
	rank := 1
	for _, x := range logits {
		if x > logits[id] {
			rank++
		}
	}
	return rank
}

// topK returns the k largest logits' ids, best first, with their softmax probabilities.
func topK(logits []float32, k int) ([]int, []float64) {
	maxLogit := logits[argmax32(logits)]
	var sum float64
	for _, x := range logits {
		sum += math.Exp(float64(x - maxLogit))
	}
	ids := bestIDs(logits, k)
	probs := make([]float64, len(ids))
	for i, id := range ids {
		probs[i] = math.Exp(float64(logits[id]-maxLogit)) / sum
	}
	return ids, probs
}

// bestIDs returns the ids of the k largest logits, best first, equal logits by ascending id (as a
// stable sort of all ids would, NaN last), keeping only the k best while it scans.
//
// Why not a sort: the lens ranks every layer at every position, and sorting the whole vocabulary
// each time was 58% of the CPU of SmolLM-135M's generate 35 with -logit-lens (BENCHMARKS.md,
// "Top tokens without sorting the vocabulary").
func bestIDs(logits []float32, k int) []int {
	k = max(0, min(k, len(logits)))
	top := make([]int, 0, k)
	for i, x := range logits {
		if k == 0 || (len(top) == k && cmp.Compare(x, logits[top[k-1]]) <= 0) {
			continue
		}
		j := len(top) // after every kept logit at least as large
		for j > 0 && cmp.Compare(logits[top[j-1]], x) < 0 {
			j--
		}
		if len(top) < k {
			top = append(top, 0)
		}
		copy(top[j+1:], top[j:len(top)-1])
		top[j] = i
	}
	return top
}
