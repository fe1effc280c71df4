package ecco

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/ecco-go/ecco/ecco/family"
)

// Method is a primary-attribution method, named as in Ecco.
type Method string

// The methods Ecco offers, under its names.
const (
	GradXInput          Method = "grad_x_input"         // E ⊙ ∂F/∂E
	Gradient            Method = "gradient"             // |∂F/∂E| (Ecco alias "saliency")
	IntegratedGradients Method = "integrated_gradients" // E ⊙ ∫ ∂F/∂E(αE) dα (alias "ig")
	// Occlusion is not Ecco's: F(E) − F(E with token t's embedding zeroed), signed (occlusion.go).
	Occlusion Method = "occlusion"
	// LastLayerAttention is not Ecco's: the head-averaged last-layer attention of the query that
	// predicts the token, over the tokens before it (attention_methods.go).
	LastLayerAttention Method = "attention_last"
	// AttentionRollout is not Ecco's: attention rollout (Abnar & Zuidema 2020, "Quantifying
	// Attention Flow in Transformers"), the product over layers, last on the left, of the
	// head-averaged attention mixed half and half with the identity and renormalised; the row
	// of the predicting query (attention_methods.go).
	AttentionRollout Method = "attention_rollout"
	// ValueZeroing is not Ecco's: value zeroing (Mohebbi et al. 2023, "Quantifying Context
	// Mixing in Transformers"), each layer's context mixing measured by zeroing one token's
	// value vectors, rolled out over the layers; the row of the predicting query
	// (value_zeroing.go).
	ValueZeroing Method = "value_zeroing"
)

// DefaultIGSteps is the number of integrated-gradients steps, as in Ecco (Captum's default).
const DefaultIGSteps = 50

var methodAliases = map[string]Method{
	"grad_x_input": GradXInput, "gradient": Gradient, "saliency": Gradient,
	"integrated_gradients": IntegratedGradients, "ig": IntegratedGradients,
	"occlusion":      Occlusion,
	"attention_last": LastLayerAttention, "attention_rollout": AttentionRollout,
	"value_zeroing": ValueZeroing,
}

// ParseMethod accepts Ecco's method names and aliases.
func ParseMethod(name string) (Method, error) {
	if m, ok := methodAliases[strings.TrimSpace(name)]; ok {
		return m, nil
	}
	known := make([]string, 0, len(methodAliases))
	for k := range methodAliases {
		known = append(known, k)
	}
	slices.Sort(known)
	return "", fmt.Errorf("ecco: unknown attribution method %q: known methods are %s", name, strings.Join(known, ", "))
}

// gradientMethod parses a gradient method: what names the call, for the error on the others.
func gradientMethod(name Method, what string) (Method, error) {
	m, err := ParseMethod(string(name))
	if err == nil && (m == Occlusion || isAttentionMethod(m)) {
		err = fmt.Errorf("ecco: %s takes a gradient method (%s, %s or %s), not %s", what, GradXInput, Gradient, IntegratedGradients, m)
	}
	return m, err
}

func parseMethods(names []Method) ([]Method, error) {
	var methods []Method
	for _, name := range names {
		m, err := ParseMethod(string(name))
		if err != nil {
			return nil, err
		}
		if !slices.Contains(methods, m) {
			methods = append(methods, m)
		}
	}
	return methods, nil
}

// Attribution returns the scores of method for every generated token: entry i scores the
// FirstGenerated()+i tokens before generated token i (NInput+i; of an encoder–decoder, the
// encoder tokens then the decoder inputs start … g(i−1)). When the Output lacks them they are computed now
// (unlike Ecco, which needs them requested before generation); that costs one forward and
// backward pass per generated token (integrated gradients: one batched pass of IGSteps+2 rows).
func (o *Output) Attribution(method Method) ([][]float64, error) {
	m, err := ParseMethod(string(method))
	if err != nil {
		return nil, err
	}
	o.lazy.Lock()
	defer o.lazy.Unlock()
	if err := o.computeAttributions([]Method{m}, o.Options.Progress); err != nil {
		return nil, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.Attributions[string(m)], nil
}

// computeAttributions fills in the methods the Output does not hold yet, reporting to progress.
// Callers other than the constructors hold o.lazy.
func (o *Output) computeAttributions(methods []Method, progress ProgressFunc) error {
	var missing []Method
	o.mu.Lock()
	for _, m := range methods {
		if _, ok := o.Attributions[string(m)]; !ok {
			missing = append(missing, m)
		}
	}
	lm := o.lm
	o.mu.Unlock()
	if len(missing) == 0 {
		return nil
	}
	if o.EncoderDecoder {
		for _, m := range missing {
			if err := seq2seqMethod(m); err != nil {
				return err
			}
		}
	}
	attention, err := o.attentionAttributions(missing)
	if err != nil {
		return err
	}
	all := slices.Clone(missing)
	missing = slices.DeleteFunc(missing, isAttentionMethod)
	if len(missing) == 0 {
		o.storeAttributions(all, attention, nil)
		return nil
	}
	if lm == nil {
		return fmt.Errorf("ecco: attribution %v is not in this Output and no model is attached: call out.Attach(lm) first", missing)
	}
	model, err := lm.attributionModel(o)
	if err != nil {
		return err
	}
	first := o.FirstGenerated()
	results := map[Method][][]float64{}
	var completeness []float64
	plain := slices.Contains(missing, GradXInput) || slices.Contains(missing, Gradient)
	report := o.attributionProgress(missing, progress)
	group := targetsPerCall(model)
	for start := 0; start < o.NGenerated(); start += group {
		end := min(start+group, o.NGenerated())
		// Tokens start..end-1 share the forward pass over the longest prefix.
		embeds, err := model.Embeddings(o.TokenIDs[:first+end-1])
		if err != nil {
			return err
		}
		var targets []family.Target
		for i := start; i < end; i++ {
			targets = append(targets, family.Target{Position: first + i - 1, ID: o.TokenIDs[first+i]})
		}
		if plain {
			_, grads, err := model.EmbeddingGradients(embeds, 1, targets, []float32{1})
			if err != nil {
				return err
			}
			for j, grad := range grads {
				n := (first + start + j) * o.Config.NEmbd // the token's own prefix
				results[GradXInput] = append(results[GradXInput], tokenScores(embeds[:n], grad[:n], o.Config.NEmbd, true))
				results[Gradient] = append(results[Gradient], tokenScores(embeds[:n], grad[:n], o.Config.NEmbd, false))
			}
		}
		if slices.Contains(missing, Occlusion) {
			scores, _, err := occlusionScores(lm.Model, o.TokenIDs[:o.NInput+end], o.NInput+start, make([]float32, o.Config.NEmbd))
			if err != nil {
				return err
			}
			results[Occlusion] = append(results[Occlusion], scores...)
		}
		if !slices.Contains(missing, IntegratedGradients) {
			report(end)
		} else {
			for j := 0; j < len(targets); j += igGroup {
				some := targets[j:min(j+igGroup, len(targets))]
				scores, gaps, err := o.integratedGradients(model, embeds, some, start+j)
				if err != nil {
					return err
				}
				results[IntegratedGradients] = append(results[IntegratedGradients], scores...)
				completeness = append(completeness, gaps...)
				report(start + j + len(some))
			}
		}
	}
	maps.Copy(results, attention)
	o.storeAttributions(all, results, completeness)
	return nil
}

// storeAttributions records the results of methods (and the integrated-gradients completeness
// gaps, when not nil) in the Output and persists it.
func (o *Output) storeAttributions(methods []Method, results map[Method][][]float64, completeness []float64) {
	o.mu.Lock()
	if o.Attributions == nil {
		o.Attributions = map[string][][]float64{}
	}
	for _, m := range methods {
		o.Attributions[string(m)] = results[m]
	}
	if completeness != nil {
		o.IGCompleteness = completeness
	}
	o.mu.Unlock()
	o.persist()
}

// Generated tokens whose gradients share one forward pass: fewer forward passes against longer
// backward ones (each runs over the group's longest prefix); 6 is near the optimum of that
// trade-off for 30–60-token prefixes. A model that cuts each backward pass to its targets'
// prefix (gpt2) says how many it takes per call instead. Integrated gradients sends at most
// igGroup targets per call: they share the forward pass of every α chunk (for 10 tokens on
// DistilGPT2, one forward instead of two with groups of 6: about 146 of 1600 GFLOP less), and
// the progress reports come per call. Its batch of IGSteps+2 scaled copies is cut into chunks
// of at most igRows rows in all (targets × copies × positions), which bounds the memory of the
// forward tape and of the backward passes (peak RSS 1.0–1.1 GB for 10 tokens on DistilGPT2).
const (
	gradientGroup = 6
	igGroup       = 10
	igRows        = 6144
)

// rowBudgeter is a model that says how many rows (targets × copies × positions) one
// EmbeddingGradients call should take: igRows suits GPT-2's width, wider models need fewer.
type rowBudgeter interface{ GradientRows() int }

func gradientRows(m any) int {
	if r, ok := m.(rowBudgeter); ok {
		return max(1, r.GradientRows())
	}
	return igRows
}

// targetGrouper is a model that says how many targets its EmbeddingGradients takes per call.
type targetGrouper interface{ TargetsPerCall() int }

func targetsPerCall(m any) int {
	if g, ok := m.(targetGrouper); ok {
		return max(1, g.TargetsPerCall())
	}
	return gradientGroup
}

// integratedGradients attributes the targets (generated tokens first, first+1, ...) over their
// prefixes of embeds. It runs every quadrature step, plus α=1 and α=0 with weight 0 (to read F(E)
// and F(0) for the completeness check), in chunks of the α batch.
func (o *Output) integratedGradients(model gradientSource, embeds []float32, targets []family.Target, first int) ([][]float64, []float64, error) {
	steps, err := o.igSteps()
	if err != nil {
		return nil, nil, err
	}
	// Only the longest prefix of the group is needed.
	positions := targets[len(targets)-1].Position + 1
	embeds = embeds[:positions*o.Config.NEmbd]
	alphas, coef := igNodes(steps)
	rows := gradientRows(model)
	chunks := (len(alphas)*len(targets)*positions + rows - 1) / rows
	size := (len(alphas) + chunks - 1) / chunks // balanced: at most two batch shapes to compile
	probs, grads, err := chunkedGradients(model, targets, coef, size, func(from, to int) []float32 {
		return scaledRows(embeds, alphas[from:to])
	})
	if err != nil {
		return nil, nil, err
	}
	var scores [][]float64
	var gaps []float64
	for j, grad := range grads {
		n := (o.FirstGenerated() + first + j) * o.Config.NEmbd
		var total float64
		for i, e := range embeds[:n] {
			total += float64(e) * float64(grad[i])
		}
		gaps = append(gaps, math.Abs(total-(float64(probs[j][steps])-float64(probs[j][steps+1]))))
		scores = append(scores, tokenScores(embeds[:n], grad[:n], o.Config.NEmbd, true))
	}
	return scores, gaps, nil
}

// igSteps is the Output's integrated-gradients step count: DefaultIGSteps when unset.
func (o *Output) igSteps() (int, error) {
	steps := o.Options.IGSteps
	if steps == 0 {
		steps = DefaultIGSteps
	}
	if steps < 1 {
		return 0, fmt.Errorf("ecco: IGSteps %d: want at least 1", steps)
	}
	return steps, nil
}

// igNodes returns the integrated-gradients rows: every quadrature node's x (α = (1+x)/2), then
// x=1 and x=−1 (α=1 and α=0, weight 0, to read F(E) and F(0)), with each row's weight.
func igNodes(steps int) (alphas []float64, coef []float32) {
	nodes, weights := gaussLegendre(steps)
	alphas = append(slices.Clone(nodes), 1, -1)
	coef = make([]float32, len(alphas))
	for k := range steps {
		coef[k] = float32(weights[k] / 2)
	}
	return alphas, coef
}

// scaledRows stacks embeds scaled by α = (1+x)/2 for each x.
func scaledRows(embeds []float32, xs []float64) []float32 {
	batch := make([]float32, 0, len(xs)*len(embeds))
	for _, x := range xs {
		alpha := float32((1 + x) / 2)
		for _, e := range embeds {
			batch = append(batch, alpha*e)
		}
	}
	return batch
}

// gradientSource is a model that differentiates target probabilities with respect to token
// embeddings: a causal family.Model, a family.Encoder or an encoder–decoder (seq2seqGradients).
type gradientSource interface {
	EmbeddingGradients(embeds []float32, batch int, targets []family.Target, coef []float32) (probs, grads [][]float32, err error)
}

// attributionModel is what the attributions of generated tokens run on: the causal model, or an
// encoder–decoder seen as one sequence (seq2seqGradients).
type attributionModel interface {
	gradientSource
	Embeddings(ids []int) ([]float32, error)
}

// attributionModel returns lm's network for attributing o's generated tokens.
func (lm *LM) attributionModel(o *Output) (attributionModel, error) {
	if lm.seq2seq == nil {
		return lm.causal()
	}
	return seq2seqGradients{m: lm.seq2seq, n: o.NInput}, nil
}

// chunkedGradients runs m's EmbeddingGradients over len(coef) rows, rows(from, to) building the
// embeddings of rows from..to−1, in chunks of at most size rows, and returns per target F of
// every row and Σ_b coef_b ∂F_b/∂E: chunks bound the memory of the backward passes.
func chunkedGradients(m gradientSource, targets []family.Target, coef []float32, size int, rows func(from, to int) []float32) (probs, grads [][]float32, err error) {
	probs, grads = make([][]float32, len(targets)), make([][]float32, len(targets))
	for from := 0; from < len(coef); from += size {
		to := min(from+size, len(coef))
		p, g, err := m.EmbeddingGradients(rows(from, to), to-from, targets, coef[from:to])
		if err != nil {
			return nil, nil, err
		}
		for j := range targets {
			probs[j] = append(probs[j], p[j]...)
			if grads[j] == nil {
				grads[j] = g[j]
				continue
			}
			for i, v := range g[j] {
				grads[j][i] += v
			}
		}
	}
	return probs, grads, nil
}

// tokenScores reduces a [T, D] attribution to one score per token, as Ecco does: the L2 norm of
// the token's row (of E ⊙ grad when timesInput, else of |grad|), divided by the sum over tokens.
func tokenScores(embeds, grad []float32, d int, timesInput bool) []float64 {
	scores := make([]float64, len(grad)/d)
	var sum float64
	for t := range scores {
		var sq float64
		for j := t * d; j < (t+1)*d; j++ {
			a := float64(grad[j])
			if timesInput {
				a *= float64(embeds[j])
			}
			sq += a * a
		}
		scores[t] = math.Sqrt(sq)
		sum += scores[t]
	}
	if sum > 0 {
		for t := range scores {
			scores[t] /= sum
		}
	}
	return scores
}
