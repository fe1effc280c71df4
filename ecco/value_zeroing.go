package ecco

import (
	"fmt"

	"github.com/ecco-go/ecco/ecco/family"
)

// ValueZeroing measures the context mixing of each layer over ids by value zeroing (Mohebbi et
// al. 2023, "Quantifying Context Mixing in Transformers", EACL, section "Value Zeroing"): for layer l and token j, layer l
// runs again on its own input with token j's value vectors zeroed in every head (the edit
// family.ZeroValues), the other positions keeping theirs, and C_l[i][j] is the cosine distance
// between row i of the layer's output before and after (hidden_states[l+1]: for a pre-norm
// decoder the last layer's is after the final norm, what the LM head reads); each row is then
// divided by its sum. It returns [L][i][j], rows summing to 1 (a row whose output no zeroing
// changes stays 0); for a causal model C_l[i][j] = 0 for j > i. Decoders and encoders alike;
// all tokens of a layer are zeroed in one batched pass where memory allows.
func (lm *LM) ValueZeroing(ids []int) ([][][]float64, error) {
	var net any = lm.Model
	if lm.encoder != nil {
		net = lm.encoder
	}
	vz, ok := net.(family.ValueZeroer)
	if !ok {
		return nil, fmt.Errorf("ecco: %s: the %s family does not measure value zeroing", lm.Name, lm.Info().ModelType)
	}
	raw, err := vz.ValueZeroing(ids)
	if err != nil {
		return nil, fmt.Errorf("ecco: value zeroing: %w", err)
	}
	mix := make([][][]float64, len(raw))
	for l, layer := range raw {
		mix[l] = make([][]float64, len(layer))
		for i, row := range layer {
			mix[l][i] = normalizedRow(row)
		}
	}
	return mix, nil
}

// normalizedRow is row in float64 divided by its sum (all zeros when the sum is 0).
func normalizedRow(row []float32) []float64 {
	out := make([]float64, len(row))
	var sum float64
	for j, d := range row {
		out[j] = float64(d)
		sum += out[j]
	}
	if sum > 0 {
		for j := range out {
			out[j] /= sum
		}
	}
	return out
}

// valueZeroingRollout aggregates the per-layer matrices of ValueZeroing over the layers as the
// paper does for its whole-model scores (Mohebbi et al. 2023, section "Value Zeroing", and the
// authors' released demo): Abnar & Zuidema's rollout, R = C_L ··· C_1, without the identity term
// attention rollout adds, since each C_l already measures the whole layer, residual connection
// included. It returns R's rows of queries, [len(queries)][T].
func valueZeroingRollout(mix [][][]float64, queries []int) [][]float64 {
	return rollout(len(mix), len(mix[0]), func(l, q int) []float64 { return mix[l][q] }, queries)
}

// valueZeroingScores scores every generated token by value zeroing: R's row of the query that
// predicts it, over the tokens before it, [G][NInput+i]. The last token is never a query, so
// the sequence without it is measured.
func (o *Output) valueZeroingScores() ([][]float64, error) {
	lm := o.model()
	if lm == nil {
		return nil, fmt.Errorf("ecco: attribution %s is not in this Output and no model is attached: call out.Attach(lm) first", ValueZeroing)
	}
	if _, err := lm.causal(); err != nil {
		return nil, fmt.Errorf("ecco: attribution %s: %w", ValueZeroing, err)
	}
	t := len(o.TokenIDs) - 1
	if o.NInput < 1 || o.NInput > t {
		return nil, nil
	}
	mix, err := lm.ValueZeroing(o.TokenIDs[:t])
	if err != nil {
		return nil, err
	}
	return predictingRows(o.NInput, t+1, func(queries []int) [][]float64 {
		return valueZeroingRollout(mix, queries)
	}), nil
}
