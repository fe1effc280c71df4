package decoder

import (
	"fmt"
	"slices"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
)

// valueMasks are the factors a Tap multiplies value vectors by: family.ZeroValues edits of
// some layers, and the rows of a value-zeroing rerun in whatever layer the graph runs.
type valueMasks struct {
	layers []int // ascending (family.ValueLayers)
	keep   *Node // [Ev, 1, T]: 0 where an edit zeroes the value (family.ValueMasks)
	rows   *Node // [B, T]: batch row b keeps the values where rows is 1; nil: none
}

// ValueInputs is the graph input [Ev, 1, T] of the ZeroValues edits among edits for the t
// positions from from on (nothing when there are none).
func ValueInputs(edits []family.Edit, from, t int) []any {
	layers := family.ValueLayers(edits)
	if len(layers) == 0 {
		return nil
	}
	return []any{tensors.FromFlatDataAndDimensions(family.ValueMasks(edits, layers, from, t), len(layers), 1, t)}
}

// zeroingValues returns t (a new Tap when nil) zeroing values in the layers given as keep
// [Ev, 1, T] says.
func (t *Tap) zeroingValues(valued []int, keep *Node) *Tap {
	if t == nil {
		t = &Tap{}
	}
	t.values.layers, t.values.keep = valued, keep
	return t
}

// WithRows is a copy of t (nil: none) that also multiplies the values of every layer it runs by
// rows [B, T]: a value-zeroing rerun.
func (t *Tap) WithRows(rows *Node) *Tap {
	c := Tap{}
	if t != nil {
		c = *t
	}
	c.values.rows = rows
	return &c
}

// Values applies the tap's value zeroing to layer's values v [B, KV, T, dh]. A rerun's rows
// [R, T] widen values of batch 1 to R: the rerun's input, queries and keys are one sequence's.
func (t *Tap) Values(layer int, v *Node) *Node {
	if t == nil {
		return v
	}
	scale := func(mask *Node) { // [Bm, T], Bm 1 or B
		bm, n := mask.Shape().Dimensions[0], mask.Shape().Dimensions[1]
		dims := slices.Clone(v.Shape().Dimensions)
		if bm > dims[0] {
			dims[0] = bm
			v = BroadcastToDims(v, dims...)
		}
		v = Mul(v, BroadcastToDims(Reshape(mask, bm, 1, n, 1), dims...))
	}
	if e := slices.Index(t.values.layers, layer); e >= 0 {
		scale(Reshape(Slice(t.values.keep, AxisElem(e)), 1, v.Shape().Dimensions[2]))
	}
	if t.values.rows != nil {
		scale(t.values.rows)
	}
	return v
}

// valueZeroRows bounds the rows (zeroed tokens × positions) of one value-zeroing pass: its
// activations are those of a forward pass over that many positions, per layer.
const valueZeroRows = 4096

// ValueZeroing measures value zeroing on ids (see family.ValueZeroer): one forward pass, then
// each layer rerun on its own input for a batch of zeroed tokens at once, as many per pass as
// valueZeroRows allows.
func (m *Model) ValueZeroing(ids []int) ([][][]float32, error) { return m.valueZeroing(ids, nil) }

// ValueZeroing of an edited model runs with its edits (in the forward pass and the reruns).
func (e *edited) ValueZeroing(ids []int) ([][][]float32, error) {
	return e.valueZeroing(ids, e.edits)
}

func (m *Model) valueZeroing(ids []int, edits []family.Edit) ([][][]float32, error) {
	ids32, err := m.toInt32(ids)
	if err != nil {
		return nil, err
	}
	t := len(ids)
	pos, err := m.positions(0, t)
	if err != nil {
		return nil, err
	}
	return ZeroingPasses(m.info.Layers, t, true, func(zeroed []int32, from int) ([]float32, error) {
		kind := execKind{name: fmt.Sprintf("valuezero@%d", from), edits: EditKey(edits)}
		e, err := m.exec(kind, func(nodes []*Node) []*Node {
			p, in := m.params(nodes)
			tap, _ := EditTap(m.info.Layers, edits, in[3:], false)
			r := m.forward(p, m.arch.embed(p, in[0]), in[1], nil, tap)
			return []*Node{m.zeroedDistances(p, r, in[1], in[2], from, tap)}
		})
		if err != nil {
			return nil, err
		}
		outs, err := m.run(e, append([]any{
			tensors.FromFlatDataAndDimensions(ids32, 1, t),
			tensors.FromFlatDataAndDimensions(pos, t),
			tensors.FromFlatDataAndDimensions(zeroed, len(zeroed)),
		}, EditInputs(edits, 0, t, m.info.Neurons)...)...)
		if err != nil {
			return nil, fmt.Errorf("%s: value zeroing: %w", m.info.ModelType, err)
		}
		return tensors.CopyFlatData[float32](outs[0])
	})
}

// causalZeroingPasses is how many passes a causal model's value zeroing takes at least: a pass
// zeroing tokens from a on reruns only the rows from a on (earlier rows cannot see them), so
// cutting the tokens into 4 passes does 5/8 of one pass's work (Σ over passes of rows × tokens),
// for 4 graphs to compile per length.
const causalZeroingPasses = 4

// ZeroingPasses runs the value-zeroing passes over t tokens, each zeroing a batch of tokens:
// pass(zeroed [B], from) returns the distances [L, B, t−from] of rows from..t−1 when each token
// zeroed[b] ≥ from has its values zeroed (the last batch is padded with the last token, so one
// graph shape serves each from). from is 0 unless causal, when rows before the first zeroed
// token cannot change. It returns [L][i][j]: row i's distance when token j's values are zeroed.
func ZeroingPasses(layers, t int, causal bool, pass func(zeroed []int32, from int) ([]float32, error)) ([][][]float32, error) {
	out := make([][][]float32, layers)
	for l := range out {
		out[l] = make([][]float32, t)
		for i := range out[l] {
			out[l][i] = make([]float32, t)
		}
	}
	batch := min(t, max(1, valueZeroRows/t))
	if causal {
		batch = min(batch, (t+causalZeroingPasses-1)/causalZeroingPasses)
	}
	for start := 0; start < t; start += batch {
		zeroed := make([]int32, batch)
		for b := range zeroed {
			zeroed[b] = int32(min(start+b, t-1))
		}
		from := 0
		if causal {
			from = start
		}
		flat, err := pass(zeroed, from)
		if err != nil {
			return nil, err
		}
		for l, layer := range Rows(flat, layers) {
			for b, row := range Rows(layer, batch)[:min(batch, t-start)] {
				for i, d := range row {
					out[l][from+i][start+b] = d
				}
			}
		}
	}
	return out, nil
}

// zeroedDistances reruns every layer of the pass r on its own input at rows from..T−1 (the
// earlier rows' keys and values taken from r), batch row b with the values of token
// zeroed[b] ≥ from zeroed, and returns the cosine distances [L, B, T−from] between each row of
// the layer's output (hidden_states[l+1], after the final norm for the last layer) and r's.
func (m *Model) zeroedDistances(p Params, r pass, positions, zeroed *Node, from int, tap *Tap) *Node {
	b, t := zeroed.Shape().Dimensions[0], positions.Shape().Dimensions[0]
	n := t - from
	kept := OneMinus(OneHot(AddScalar(zeroed, -float64(from)), n, r.final.DType())) // values kept: [B, n]
	rerun := tap.WithRows(kept)
	rows := func(x *Node) *Node { return Slice(x, AxisRange(), AxisRange(from, t)) } // [1, n, D]
	dists := make([]*Node, m.info.Layers)
	for l := range dists {
		// The input stays one sequence: queries, keys and attention are computed once, and
		// only the values (Tap.Values) and what follows them are B wide.
		var past *KV
		if from > 0 {
			early := func(c *Node) *Node { return Slice(c, AxisRange(), AxisRange(), AxisRange(0, from)) }
			v := early(r.present[l].V)
			d := v.Shape().Dimensions
			past = &KV{K: early(r.present[l].K), V: BroadcastToDims(v, b, d[1], from, d[3])}
		}
		out, _, _ := m.arch.block(p, l, rows(r.hidden[l]), Slice(positions, AxisRange(from, t)), past, rerun)
		if l == m.info.Layers-1 {
			out = m.arch.Final.Apply(p, out)
		}
		dists[l] = CosineDistances(rows(r.hidden[l+1]), out)
	}
	return Stack(dists, 0)
}

// CosineDistances is 1 − cos(a, b) over the last axis of a [1, T, D] and b [B, T, D]: [B, T],
// computed as |â − b̂|²/2 in float64, which keeps small distances exact.
func CosineDistances(a, b *Node) *Node {
	unit := func(x *Node) *Node {
		x = ConvertDType(x, dtypes.Float64)
		return Div(x, Sqrt(ReduceAndKeep(Mul(x, x), ReduceSum, -1)))
	}
	diff := Sub(BroadcastToDims(unit(a), b.Shape().Dimensions...), unit(b))
	return ConvertDType(MulScalar(ReduceSum(Mul(diff, diff), -1), 0.5), dtypes.Float32)
}
