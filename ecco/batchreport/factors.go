package batchreport

import (
	"cmp"
	"fmt"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/ecco-go/ecco/nmf"
)

// Factors are NMF factors of the FFN activations pooled across records.
type Factors struct {
	Layers            []int    `json:"layers"`    // the model layers pooled
	Positions         int      `json:"positions"` // activation rows pooled
	Records           int      `json:"records"`   // records they came from
	Truncated         bool     `json:"truncated"` // more records had activations than MaxFactorPositions allowed
	ReconstructionErr float64  `json:"reconstruction_error"`
	Factors           []Factor `json:"factors"`
}

// Factor is one NMF factor: its strongest neurons and the records where it is strongest.
type Factor struct {
	Index      int             `json:"index"`
	TopNeurons []Neuron        `json:"top_neurons"`
	Examples   []FactorExample `json:"examples"`
}

// Neuron is a neuron's loading on a factor (a row of H).
type Neuron struct {
	Layer  int     `json:"layer"`
	Index  int     `json:"index"`
	Weight float64 `json:"weight"`
}

// FactorExample is a record where a factor is strong: its largest W over its positions, and
// the tokens of its positions with the largest W, strongest first.
type FactorExample struct {
	ID        string   `json:"id"`
	Strength  float64  `json:"strength"`
	TopTokens []string `json:"top_tokens"`
}

// factorPool gathers activation rows up to a bound.
type factorPool struct {
	opts    Options
	layers  []int // model layers pooled
	picks   []int // their indexes in each record's activations
	neurons int
	rows    [][]float64
	rowRec  []int    // record of each row (index into ids)
	rowTok  []string // token of each row
	ids     []string
	full    bool
}

func newFactorPool(o Options) *factorPool { return &factorPool{opts: o} }

// add pools r's activation rows (all records must capture the same layers and neurons).
func (f *factorPool) add(r *record) error {
	a := r.Activations
	if f.layers == nil {
		want := f.opts.FactorLayers
		if want == nil && len(a.Layers) > 0 {
			want = a.Layers[len(a.Layers)-1:]
		}
		f.layers, f.neurons = want, a.Shape[1]
	}
	if a.Shape[1] != f.neurons {
		return fmt.Errorf("activations have %d neurons per layer, earlier records %d: the records come from different models", a.Shape[1], f.neurons)
	}
	picks := make([]int, len(f.layers))
	for i, l := range f.layers {
		picks[i] = slices.Index(a.Layers, l)
		if picks[i] < 0 {
			return fmt.Errorf("activations of layers %v lack layer %d", a.Layers, l)
		}
	}
	if f.full {
		return nil
	}
	f.ids = append(f.ids, r.ID)
	for p := range a.Shape[2] {
		if len(f.rows) == f.opts.MaxFactorPositions {
			f.full = true
			return nil
		}
		row := make([]float64, 0, len(picks)*f.neurons)
		for _, li := range picks {
			for n := range f.neurons {
				row = append(row, max(float64(a.Values[li][n][p]), 0))
			}
		}
		f.rows = append(f.rows, row)
		f.rowRec = append(f.rowRec, len(f.ids)-1)
		f.rowTok = append(f.rowTok, r.Tokens[p])
	}
	return nil
}

// factorize runs NMF over the pooled rows; nil when none were pooled.
func (f *factorPool) factorize() (*Factors, error) {
	if len(f.rows) == 0 {
		return nil, nil
	}
	x := mat.NewDense(len(f.rows), len(f.rows[0]), nil)
	for i, row := range f.rows {
		x.SetRow(i, row)
	}
	res, err := nmf.Factorize(x, &nmf.Settings{Components: f.opts.Factors})
	if err != nil {
		return nil, err
	}
	out := &Factors{Layers: f.layers, Positions: len(f.rows), Records: len(f.ids), Truncated: f.full, ReconstructionErr: res.ReconstructionErr}
	for k := range f.opts.Factors {
		out.Factors = append(out.Factors, Factor{Index: k, TopNeurons: f.topNeurons(res.H, k, 5), Examples: f.examples(res.W, k)})
	}
	return out, nil
}

// topNeurons are the n largest loadings of factor k.
func (f *factorPool) topNeurons(h *mat.Dense, k, n int) []Neuron {
	_, cols := h.Dims()
	all := make([]Neuron, cols)
	for c := range cols {
		all[c] = Neuron{Layer: f.layers[c/f.neurons], Index: c % f.neurons, Weight: h.At(k, c)}
	}
	slices.SortStableFunc(all, func(a, b Neuron) int { return cmp.Compare(b.Weight, a.Weight) })
	return all[:min(n, len(all))]
}

// examples are the records with the largest W[·][k], each with its three strongest tokens.
func (f *factorPool) examples(w *mat.Dense, k int) []FactorExample {
	byRec := make([][]int, len(f.ids)) // rows of each record
	for row, rec := range f.rowRec {
		byRec[rec] = append(byRec[rec], row)
	}
	var out []FactorExample
	for rec, rows := range byRec {
		slices.SortStableFunc(rows, func(a, b int) int { return cmp.Compare(w.At(b, k), w.At(a, k)) })
		ex := FactorExample{ID: f.ids[rec], Strength: w.At(rows[0], k)}
		for _, row := range rows[:min(3, len(rows))] {
			ex.TopTokens = append(ex.TopTokens, f.rowTok[row])
		}
		out = append(out, ex)
	}
	slices.SortStableFunc(out, func(a, b FactorExample) int { return cmp.Compare(b.Strength, a.Strength) })
	return out[:min(f.opts.Examples, len(out))]
}
