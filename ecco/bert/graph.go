package bert

import (
	"fmt"
	"math"

	"github.com/ecco-go/ecco/ecco/family/decoder"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
)

// activations maps hidden_act (transformers' ACT2FN names) to graph code.
var activations = map[string]func(*Node) *Node{
	"gelu": func(x *Node) *Node { // exact: 0.5·x·(1 + erf(x/√2))
		return Mul(MulScalar(x, 0.5), AddScalar(Erf(MulScalar(x, 1/math.Sqrt2)), 1))
	},
	"gelu_new": func(x *Node) *Node { // the tanh approximation
		inner := MulScalar(Add(x, MulScalar(Mul(Mul(x, x), x), 0.044715)), math.Sqrt(2/math.Pi))
		return Mul(MulScalar(x, 0.5), AddScalar(Tanh(inner), 1))
	},
	"relu": func(x *Node) *Node { return Max(x, ZerosLike(x)) },
}

// pass is one run of the encoder.
type pass struct {
	hidden []*Node // L+1 of [B, T, D]: HuggingFace's hidden_states; the last is the output
	ffn    []*Node // L of [B, T, N]
}

// embed gathers word-embedding rows: ids [B, T] (int32) -> [B, T, E].
func (m *Model) embed(p decoder.Params, ids *Node) *Node {
	return Gather(p.Get(m.cfg.Arch.Word), InsertAxes(ids, -1))
}

// forward runs the encoder over word embeddings [B, T, E] at positions PosOffset..PosOffset+T-1,
// token type 0, with tap's edits and attention capture (nil: none).
func (m *Model) forward(p decoder.Params, embeds *Node, tap *decoder.Tap) pass {
	a, c := m.cfg.Arch, m.cfg
	b, t, e := embeds.Shape().Dimensions[0], embeds.Shape().Dimensions[1], embeds.Shape().Dimensions[2]
	extra := Slice(p.Get(a.Position), AxisRange(c.PosOffset, c.PosOffset+t)) // [T, E]
	if a.TokenType != "" {
		extra = Add(extra, BroadcastToDims(Slice(p.Get(a.TokenType), AxisRange(0, 1)), t, e))
	}
	x := Add(embeds, BroadcastToDims(InsertAxes(extra, 0), b, t, e))
	x = p.LayerNorm(a.EmbedNorm, x, c.Eps)
	if c.Project {
		x = p.Linear(a.Projection, x)
	}
	r := pass{hidden: []*Node{x}}
	for i := range c.Layers {
		var neurons *Node
		x, neurons = m.layer(p, i, x, tap)
		r.hidden, r.ffn = append(r.hidden, x), append(r.ffn, neurons)
	}
	return r
}

// layer is post-LN block i: it returns the new residual stream [B, T, D] and the FFN neurons
// [B, T, N], the input of the FFN's output linear (after tap's neuron edits). tap also zeroes
// value rows and records the attention probabilities [B, H, T, T].
func (m *Model) layer(p decoder.Params, i int, x *Node, tap *decoder.Tap) (out, neurons *Node) {
	a := m.cfg.Arch
	l := fmt.Sprintf(a.Layer, m.cfg.group(i))
	b, t, d, h := x.Shape().Dimensions[0], x.Shape().Dimensions[1], m.cfg.Width, m.cfg.Heads
	q := decoder.SplitHeads(p.Linear(l+a.Query, x), h) // [B, H, T, dh]
	k := decoder.SplitHeads(p.Linear(l+a.Key, x), h)
	v := tap.Values(i, decoder.SplitHeads(p.Linear(l+a.Value, x), h))
	scores := DotGeneral(q, []int{3}, []int{0, 1}, k, []int{3}, []int{0, 1}) // [B, H, T, T]: every key, no mask
	scores = DivScalar(scores, math.Sqrt(float64(d/h)))
	probs := Softmax(scores, 3)
	if record := tap.Recorder(i); record != nil {
		record(probs)
	}
	ctx := DotGeneral(probs, []int{3}, []int{0, 1}, v, []int{2}, []int{0, 1}) // [B, H, T, dh]
	ctx = Reshape(TransposeAllAxes(ctx, 0, 2, 1, 3), b, t, d)
	x = p.LayerNorm(l+a.AttnNorm, Add(p.Linear(l+a.AttnOut, ctx), x), m.cfg.Eps)
	neurons = tap.Neurons(i, activations[m.cfg.Activation](p.Linear(l+a.FFNIn, x)))
	out = p.LayerNorm(l+a.FFNNorm, Add(p.Linear(l+a.FFNOut, neurons), x), m.cfg.Eps)
	return out, neurons
}

// mlm is the masked-LM head: h [..., D] -> logits [..., V], the decoder tied to the word
// embeddings [V, E].
func (m *Model) mlm(p decoder.Params, h *Node) *Node {
	head := m.cfg.Arch.Head
	act := head.Activation
	if act == "" {
		act = m.cfg.Activation
	}
	t := activations[act](p.Linear(head.Dense, h))
	t = p.LayerNorm(head.Norm, t, m.cfg.Eps)
	logits := DotGeneral(t, []int{t.Rank() - 1}, nil, p.Get(m.cfg.Arch.Word), []int{1}, nil)
	dims := logits.Shape().Dimensions
	ones := make([]int, len(dims)) // the pure-Go backend broadcasts within a rank only
	for i := range ones {
		ones[i] = 1
	}
	ones[len(ones)-1] = m.cfg.Vocab
	return Add(logits, BroadcastToDims(Reshape(p.Get(head.Bias), ones...), dims...))
}
