package decoder

import (
	"math"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
)

// rotary returns cos and sin of positions [T] (int32) times the inverse frequencies inv,
// duplicated over the two halves of the rotated dimensions: each [1, 1, T, r], r = 2·len(inv),
// in dtype. Angles are float32
// products, as in HuggingFace, whatever dtype the graph computes in.
func rotary(positions *Node, inv []float64, dtype dtypes.DType) (cos, sin *Node) {
	g, t := positions.Graph(), positions.Shape().Dimensions[0]
	freqs := make([]float32, len(inv))
	for j, f := range inv {
		freqs[j] = float32(f)
	}
	angles := Mul(Reshape(ConvertDType(positions, dtypes.Float32), t, 1), Reshape(Const(g, freqs), 1, len(freqs))) // [T, dh/2]
	angles = Reshape(Concatenate([]*Node{angles, angles}, 1), 1, 1, t, 2*len(freqs))
	cos, sin = Cos(angles), Sin(angles)
	if dtype != dtypes.Float32 {
		cos, sin = ConvertDType(cos, dtype), ConvertDType(sin, dtype)
	}
	return cos, sin
}

// rotate applies rotary embeddings to x [B, heads, T, dh] with cos and sin [1, 1, T, r]: its
// first r dimensions y become y·cos + rotate_half(y)·sin, with rotate_half(y) = (−y[r/2:],
// y[:r/2]), and the other dh − r stay as they are (partial rotary, r < dh). rotate(x, cos, −sin)
// undoes it: the backward pass rotates cotangents that way.
func rotate(x, cos, sin *Node) *Node {
	dims := x.Shape().Dimensions
	r := cos.Shape().Dimensions[3]
	if r < dims[3] {
		turned := rotate(sliceAxis(x, 3, 0, r), cos, sin)
		return Concatenate([]*Node{turned, sliceAxis(x, 3, r, dims[3])}, 3)
	}
	half := r / 2
	first := Slice(x, AxisRange(), AxisRange(), AxisRange(), AxisRangeFromStart(half))
	second := Slice(x, AxisRange(), AxisRange(), AxisRange(), AxisRangeToEnd(half))
	rotated := Concatenate([]*Node{Neg(second), first}, 3)
	return Add(Mul(x, BroadcastToDims(cos, dims...)), Mul(rotated, BroadcastToDims(sin, dims...)))
}

// RotaryFrequencies are the plain rotary inverse frequencies θ^(−2j/dh), j < dh/2, before any
// rope_scaling.
func RotaryFrequencies(theta float64, headDim int) []float64 {
	inv := make([]float64, headDim/2)
	for j := range inv {
		inv[j] = 1 / math.Pow(theta, float64(2*j)/float64(headDim))
	}
	return inv
}

// rotaryMemo keeps, within one attribution graph, one cos and sin per position set and frequency
// table, and their copies at the full shape of each operand they turn: every layer shares them,
// and compute v0.1.6 multiplies by an implicitly broadcast operand through a generic iterator,
// about four times slower per value than two operands of one shape (BENCHMARKS.md).
type rotaryMemo struct {
	tables map[tableKey][2]*Node
	full   map[fullKey]*Node
	turns  map[turnKey]*Node
}

type turnKey struct {
	r     int
	dtype dtypes.DType
}

// halfTurn is the [r, r] matrix P with y·P = rotate_half(y) = (−y[r/2:], y[:r/2]).
//
// Why a product: compute v0.1.6 slices element by element through a generic iterator; the
// products with P (every output one input times ±1, plus zeros: exact) took 0.19 s where the
// slices, negations and joins took 0.45 s, in two SmolLM-135M grad×input calls of 35 targets
// (BENCHMARKS.md, "Spreading and rotations without generic iterators").
func (r *rotaryMemo) halfTurn(g *Graph, rot int, dtype dtypes.DType) *Node {
	key := turnKey{rot, dtype}
	if p, ok := r.turns[key]; ok {
		return p
	}
	half := rot / 2
	values := make([]float64, rot*rot)
	for j := range half {
		values[(j+half)*rot+j] = -1 // output j < r/2 is −y[j+r/2]
		values[j*rot+j+half] = 1    // output j+r/2 is y[j]
	}
	p := ConvertDType(Reshape(Const(g, values), rot, rot), dtype)
	r.turns[key] = p
	return p
}

type tableKey struct {
	positions *Node
	inv       *float64 // the frequency table's first element: its identity
	n         int
	dtype     dtypes.DType
}

type fullKey struct {
	table *Node
	dims  [4]int
}

func newRotaryMemo() *rotaryMemo {
	return &rotaryMemo{tables: map[tableKey][2]*Node{}, full: map[fullKey]*Node{}, turns: map[turnKey]*Node{}}
}

// table is rotary(positions, inv, dtype), built once per graph.
func (r *rotaryMemo) table(positions *Node, inv []float64, dtype dtypes.DType) (cos, sin *Node) {
	key := tableKey{positions, &inv[0], len(inv), dtype}
	if cs, ok := r.tables[key]; ok {
		return cs[0], cs[1]
	}
	cos, sin = rotary(positions, inv, dtype)
	r.tables[key] = [2]*Node{cos, sin}
	return cos, sin
}

// spread is table [b, 1|h, T, r] (b is 1 or dims[0]) copied to dims [B, H, T, r].
func (r *rotaryMemo) spread(table *Node, dims []int) *Node {
	key := fullKey{table, [4]int(dims)}
	if full, ok := r.full[key]; ok {
		return full
	}
	full := table
	for axis := range 2 {
		if n := full.Shape().Dimensions[axis]; n != dims[axis] {
			copies := make([]*Node, dims[axis]/n)
			for i := range copies {
				copies[i] = full
			}
			full = Concatenate(copies, axis)
		}
	}
	r.full[key] = full
	return full
}

// rotate is rotate(x, cos, sin), or its inverse rotate(x, cos, −sin) when back, with cos and
// sin spread to x's shape once per graph.
func (r *rotaryMemo) rotate(x, cos, sin *Node, back bool) *Node {
	dims := x.Shape().Dimensions
	rot := cos.Shape().Dimensions[3]
	if rot < dims[3] {
		turned := r.rotate(sliceAxis(x, 3, 0, rot), cos, sin, back)
		return Concatenate([]*Node{turned, sliceAxis(x, 3, rot, dims[3])}, 3)
	}
	turned := Mul(DotGeneral(x, []int{3}, nil, r.halfTurn(x.Graph(), rot, x.DType()), []int{0}, nil), r.spread(sin, dims))
	if back {
		return Sub(Mul(x, r.spread(cos, dims)), turned)
	}
	return Add(Mul(x, r.spread(cos, dims)), turned)
}
