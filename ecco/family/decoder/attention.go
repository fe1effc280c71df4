package decoder

import (
	"math"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
)

// KV is one layer's attention cache: keys and values, each [B, KV, S, dh]. Slots marks a cache
// of fixed capacity S whose rows are written at their positions (Write) instead of appended
// (Extend); its rows past the written ones are zero and the causal mask hides them.
type KV struct {
	K, V  *Node
	Slots bool
}

// maskValue is what masked attention scores become, as in transformers (float32's lowest value).
const maskValue = -math.MaxFloat32

// Attention says how a layer's queries see the keys.
type Attention struct {
	Scale   float64           // multiplies q·k: 1/√dh for most models, 1 for GPT-Neo
	Window  int               // when > 0, a query at t sees only keys j with t − j < Window (local attention)
	SoftCap float64           // when > 0, scores become c·tanh(scores/c) before the mask (Gemma 2)
	Record  func(probs *Node) // when set, receives the probabilities [B, H, n, S] (Tap.Recorder)
	// RecordCapSlope, when set with a SoftCap, receives the cap's slope 1 − tanh²(s/c) at the
	// scaled scores s, [B, H, n, S]: the backward pass's factor (tape.go).
	RecordCapSlope func(slope *Node)
}

// Extend appends the new keys and values [B, KV, T, dh] to the cache (nil: none).
func Extend(past *KV, k, v *Node) KV {
	if past == nil {
		return KV{K: k, V: v}
	}
	return KV{K: Concatenate([]*Node{past.K, k}, 2), V: Concatenate([]*Node{past.V, v}, 2)}
}

// Write puts the new keys and values [B, KV, T, dh] at their absolute positions [T] (int32) of
// a fixed-capacity cache c [B, KV, C, dh]; the other rows stay.
//
// Why a one-hot product: compute v0.1.6's Go backend has no DynamicUpdateSlice, and a product
// with ones and zeros moves each value unchanged.
func (c KV) Write(k, v, positions *Node) KV {
	g := positions.Graph()
	slots, t := c.K.Shape().Dimensions[2], positions.Shape().Dimensions[0]
	at := Equal(Iota(g, shapes.Make(dtypes.Int32, t, slots), 1), BroadcastToDims(InsertAxes(positions, 1), t, slots)) // [T, C]
	place := func(cache, x *Node) *Node {
		d := cache.Shape().Dimensions
		if t == 1 { // a decoding step: the row, broadcast, where its slot is
			return Where(BroadcastToDims(Reshape(at, 1, 1, slots, 1), d...), BroadcastToDims(x, d...), cache)
		}
		onehot := ConvertDType(at, x.DType())
		written := TransposeAllAxes(DotGeneral(x, []int{2}, nil, onehot, []int{0}, nil), 0, 1, 3, 2) // [B, KV, C, dh]
		taken := GreaterThan(ReduceSum(onehot, 0), ScalarZero(g, x.DType()))                         // [C]
		return Where(BroadcastToDims(Reshape(taken, 1, 1, slots, 1), d...), written, cache)
	}
	return KV{K: place(c.K, k), V: place(c.V, v), Slots: true}
}

// Grow pads a cache [B, KV, S, dh] with zero rows to capacity rows (none when it holds as
// many) and marks it a fixed-capacity cache.
func (c KV) Grow(capacity int) KV {
	pad := func(x *Node) *Node {
		d := x.Shape().Dimensions
		if d[2] >= capacity {
			return x
		}
		return Concatenate([]*Node{x, Zeros(x.Graph(), shapes.Make(x.DType(), d[0], d[1], capacity-d[2], d[3]))}, 2)
	}
	return KV{K: pad(c.K), V: pad(c.V), Slots: true}
}

// Attend lets queries q [B, H, n, dh] at absolute positions queryPos [n] (int32) attend
// causally to keys and values [B, KV, S, dh] at positions 0..S-1, and returns the heads
// concatenated, [B, n, H·dh]. Query head h reads key/value head h / (H/KV), as HuggingFace's
// repeat_kv does for grouped-query attention.
func (a Attention) Attend(q, keys, values, queryPos *Node) *Node {
	g := q.Graph()
	b, h, n, dh := q.Shape().Dimensions[0], q.Shape().Dimensions[1], q.Shape().Dimensions[2], q.Shape().Dimensions[3]
	kvHeads, s := keys.Shape().Dimensions[1], keys.Shape().Dimensions[2]
	group := h / kvHeads
	grouped := Reshape(q, b, kvHeads, group, n, dh)
	scores := DotGeneral(grouped, []int{4}, []int{0, 1}, keys, []int{3}, []int{0, 1}) // [B, KV, G, n, S]
	if a.Scale != 1 {
		scores = MulScalar(scores, a.Scale)
	}
	if a.SoftCap > 0 {
		th := Tanh(MulScalar(scores, 1/a.SoftCap))
		scores = MulScalar(th, a.SoftCap)
		if a.RecordCapSlope != nil {
			a.RecordCapSlope(Reshape(OneMinus(Mul(th, th)), b, h, n, s))
		}
	}
	keyPos := Iota(g, shapes.Make(dtypes.Int32, n, s), 1)
	qPos := BroadcastToDims(InsertAxes(queryPos, 1), n, s)
	allowed := LessOrEqual(keyPos, qPos)
	if a.Window > 0 {
		allowed = LogicalAnd(allowed, LessThan(Sub(qPos, keyPos), Const(g, int32(a.Window))))
	}
	allowed = BroadcastToDims(Reshape(allowed, 1, 1, 1, n, s), b, kvHeads, group, n, s)
	scores = Where(allowed, scores, FillScalar(g, scores.Shape(), maskValue))
	probs := Softmax(scores, 4)
	if a.Record != nil {
		a.Record(Reshape(probs, b, h, n, s))
	}
	if vb := values.Shape().Dimensions[0]; vb > b { // a value-zeroing rerun: one sequence, B value sets
		b = vb
		probs = BroadcastToDims(probs, b, kvHeads, group, n, s)
	}
	out := DotGeneral(probs, []int{4}, []int{0, 1}, values, []int{2}, []int{0, 1}) // [B, KV, G, n, dh]
	return Reshape(TransposeAllAxes(Reshape(out, b, h, n, dh), 0, 2, 1, 3), b, n, h*dh)
}

// softCap is c·tanh(x/c): Gemma 2's bound on attention scores and final logits.
func softCap(x *Node, c float64) *Node { return MulScalar(Tanh(MulScalar(x, 1/c)), c) }
