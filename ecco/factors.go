package ecco

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/ecco-go/ecco/nmf"
	"gonum.org/v1/gonum/mat"
)

// NMFOptions pick the layers and the solver for RunNMF. A nil *NMFOptions is Ecco's default:
// every captured layer, scikit-learn's NMF as Ecco calls it.
type NMFOptions struct {
	Stack     Stack         // an encoder–decoder's stack: both (Ecco's, the default), encoder or decoder
	FromLayer int           // first layer (model numbering), default 0
	ToLayer   int           // one past the last layer; 0 means through the last captured layer
	Settings  *nmf.Settings // Components is set from k; nil means Ecco's defaults
}

// NeuronFactors is RunNMF's result: factors over token positions and their neuron loadings.
type NeuronFactors struct {
	Result  *nmf.Result // W: positions × k, H: k × (layers·neurons)
	Layers  []int       // model layers in the columns of H, in order
	Neurons int         // neurons per layer
	Stack   Stack       // the stack factorised (an encoder–decoder's; "" otherwise)
	output  *Output
}

// NeuronWeight is one neuron's loading on a factor.
type NeuronWeight struct {
	Layer  int     `json:"layer"`
	Neuron int     `json:"neuron"`
	Weight float64 `json:"weight"`
}

// RunNMF factorises the captured activations into k factors (Ecco's run_nmf): X =
// max(activations, 0) as positions × (layers·neurons), k capped at the number of positions. An
// encoder–decoder's positions are, as in Ecco, the encoder's then the decoder's (opts.Stack
// picks one stack instead).
func (o *Output) RunNMF(k int, opts *NMFOptions) (*NeuronFactors, error) {
	if opts == nil {
		opts = &NMFOptions{}
	}
	captured, nLayer, err := o.stackLayers(opts.Stack)
	if err != nil {
		return nil, err
	}
	if k < 1 {
		return nil, fmt.Errorf("ecco: RunNMF: %d components, want at least 1", k)
	}
	from, to := opts.FromLayer, opts.ToLayer
	if to == 0 {
		to = captured[len(captured)-1] + 1
	}
	switch {
	case from == to:
		return nil, fmt.Errorf("ecco: RunNMF: FromLayer and ToLayer are both %d: the range [from, to) would be empty", from)
	case from > to:
		return nil, fmt.Errorf("ecco: RunNMF: FromLayer %d is after ToLayer %d", from, to)
	case from < 0 || to > nLayer:
		return nil, fmt.Errorf("ecco: RunNMF: layers [%d, %d) are out of range: the model has layers 0..%d", from, to, nLayer-1)
	}
	var layers []int
	for l := from; l < to; l++ {
		layers = append(layers, l)
	}
	acts, err := o.stackRows(opts.Stack, layers)
	if err != nil {
		return nil, err
	}
	rows, positions := acts.Dims()
	x := mat.NewDense(positions, rows, nil)
	for r := range rows {
		for p := range positions {
			x.Set(p, r, max(acts.At(r, p), 0))
		}
	}
	s := nmf.Settings{}
	if opts.Settings != nil {
		s = *opts.Settings
	}
	s.Components = min(k, positions)
	hook := o.Options.Progress
	if hook != nil && s.Progress == nil {
		s.Progress = func(it, maxIter int) { hook(ProgressEvent{Stage: StageNMF, Done: it, Total: maxIter}) }
	}
	res, err := nmf.Factorize(x, &s)
	if err != nil {
		return nil, fmt.Errorf("ecco: RunNMF: %w", err)
	}
	if hook != nil {
		maxIter := cmp.Or(s.MaxIter, nmf.DefaultMaxIter)
		hook(ProgressEvent{Stage: StageNMF, Done: res.Iterations, Total: maxIter, Detail: nmfOutcome(res), Final: true})
	}
	return &NeuronFactors{Result: res, Layers: layers, Neurons: rows / len(layers), Stack: opts.Stack, output: o}, nil
}

// Factors returns Ecco's view: k × positions, each factor's strength at every token.
func (f *NeuronFactors) Factors() [][]float64 {
	return rowsOf(f.Result.Factors())
}

// TopNeurons returns the n neurons with the largest loading on factor, largest first:
// what Ecco never shows.
func (f *NeuronFactors) TopNeurons(factor, n int) ([]NeuronWeight, error) {
	k, cols := f.Result.H.Dims()
	if factor < 0 || factor >= k {
		return nil, fmt.Errorf("ecco: factor %d: have factors 0..%d", factor, k-1)
	}
	if n < 1 {
		return nil, fmt.Errorf("ecco: TopNeurons(%d, %d): want at least 1 neuron (there are %d)", factor, n, cols)
	}
	all := make([]NeuronWeight, cols)
	for c := range cols {
		all[c] = NeuronWeight{Layer: f.Layers[c/f.Neurons], Neuron: c % f.Neurons, Weight: f.Result.H.At(factor, c)}
	}
	slices.SortStableFunc(all, func(a, b NeuronWeight) int { return cmp.Compare(b.Weight, a.Weight) })
	return all[:min(n, cols)], nil
}

func rowsOf(m *mat.Dense) [][]float64 {
	r, _ := m.Dims()
	out := make([][]float64, r)
	for i := range out {
		out[i] = slices.Clone(m.RawRowView(i))
	}
	return out
}

// nmfOutcome says why the factorisation stopped, for the progress line.
func nmfOutcome(r *nmf.Result) string {
	if r.Converged {
		return "converged"
	}
	return "stopped at MaxIter"
}
