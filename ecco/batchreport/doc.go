// Package batchreport summarises the output folder of an `ecco batch` run (its results.jsonl):
// how attribution mass falls with distance from the predicted token, the most-attributed
// tokens, the faithfulness of each method where records carry it, and neuron factors found by
// NMF over activations pooled across examples, with the examples where each factor is
// strongest. Build returns Go values that encode as JSON (`ecco report -json`); WriteHTML
// renders them as one offline page through package display (`ecco report -html`).
//
// It reads the results one line at a time (each line bounded by Options.MaxLineBytes) and
// keeps only running sums, the top-token tallies and at most Options.MaxFactorPositions pooled
// activation rows, so its memory does not grow with the number of records. It imports no
// GoMLX: it runs wherever the results are copied to.
//
// # Definitions
//
// For a record, method m and generated token i, the saved scores s[p] over the positions
// p < t = n_input_tokens+i (+1 after an encoder–decoder's start token) sum to 1. The distance of position p is t−p (1: the token right
// before the predicted one). A distance bucket's share for that step is the sum of s[p] over
// the positions whose distance falls in it; DistanceBucket.MeanShare averages it over the
// steps whose context reaches the bucket (t ≥ From), Steps counting them.
//
// A token's TotalShare sums s[p] over every step and position where that token string stands;
// Count is how many (step, position) pairs those were.
//
// Faithfulness averages each method's mean_aopc_comprehensiveness and mean_aopc_sufficiency
// over the records whose "faithfulness" object has both.
//
// Factors: the activation rows are X[position][layer·neurons + neuron] = max(activation, 0)
// for Options.FactorLayers, pooled over the records in file order up to MaxFactorPositions
// rows; nmf.Factorize (scikit-learn's NMF, Ecco's settings but for the component count) gives
// W (positions × factors) and H (factors × neurons). A record's strength on factor k is its
// largest W[position][k]; its top tokens are those of its positions with the largest W.
package batchreport
