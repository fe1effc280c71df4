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

// embed gathers word-embedding rows: ids [B, T] (int32) -> [B, T, D].
func embed(p decoder.Params, ids *Node) *Node {
	return Gather(p.Get(wordKey), InsertAxes(ids, -1))
}

// forward runs the encoder over word embeddings [B, T, D] at positions 0..T-1, token type 0.
func (m *Model) forward(p decoder.Params, embeds *Node) pass {
	b, t, d := embeds.Shape().Dimensions[0], embeds.Shape().Dimensions[1], embeds.Shape().Dimensions[2]
	extra := Add(Slice(p.Get("embeddings.position_embeddings.weight"), AxisRange(0, t)),
		BroadcastToDims(Slice(p.Get(typeKey), AxisRange(0, 1)), t, d)) // [T, D]
	x := Add(embeds, BroadcastToDims(InsertAxes(extra, 0), b, t, d))
	x = p.LayerNorm("embeddings.LayerNorm.", x, m.cfg.Eps)
	r := pass{hidden: []*Node{x}}
	for i := range m.cfg.Layers {
		var neurons *Node
		x, neurons = m.layer(p, i, x)
		r.hidden, r.ffn = append(r.hidden, x), append(r.ffn, neurons)
	}
	return r
}

// layer is encoder.layer.{i} (post-LN): it returns the new residual stream [B, T, D] and the
// FFN neurons [B, T, N], the input of output.dense.
func (m *Model) layer(p decoder.Params, i int, x *Node) (out, neurons *Node) {
	l := fmt.Sprintf("encoder.layer.%d.", i)
	b, t, d, h := x.Shape().Dimensions[0], x.Shape().Dimensions[1], m.cfg.Width, m.cfg.Heads
	q := decoder.SplitHeads(p.Linear(l+"attention.self.query.", x), h) // [B, H, T, dh]
	k := decoder.SplitHeads(p.Linear(l+"attention.self.key.", x), h)
	v := decoder.SplitHeads(p.Linear(l+"attention.self.value.", x), h)
	scores := DotGeneral(q, []int{3}, []int{0, 1}, k, []int{3}, []int{0, 1}) // [B, H, T, T]: every key, no mask
	scores = DivScalar(scores, math.Sqrt(float64(d/h)))
	ctx := DotGeneral(Softmax(scores, 3), []int{3}, []int{0, 1}, v, []int{2}, []int{0, 1}) // [B, H, T, dh]
	ctx = Reshape(TransposeAllAxes(ctx, 0, 2, 1, 3), b, t, d)
	a := p.LayerNorm(l+"attention.output.LayerNorm.", Add(p.Linear(l+"attention.output.dense.", ctx), x), m.cfg.Eps)
	neurons = activations[m.cfg.Activation](p.Linear(l+"intermediate.dense.", a))
	out = p.LayerNorm(l+"output.LayerNorm.", Add(p.Linear(l+"output.dense.", neurons), a), m.cfg.Eps)
	return out, neurons
}

// mlm is the masked-LM head: h [..., D] -> logits [..., V], the decoder tied to the word
// embeddings.
func (m *Model) mlm(p decoder.Params, h *Node) *Node {
	t := activations[m.cfg.Activation](p.Linear(headPrefix+"transform.dense.", h))
	t = p.LayerNorm(headPrefix+"transform.LayerNorm.", t, m.cfg.Eps)
	logits := DotGeneral(t, []int{t.Rank() - 1}, nil, p.Get(wordKey), []int{1}, nil)
	dims := logits.Shape().Dimensions
	ones := make([]int, len(dims)) // the pure-Go backend broadcasts within a rank only
	for i := range ones {
		ones[i] = 1
	}
	ones[len(ones)-1] = m.cfg.Vocab
	return Add(logits, BroadcastToDims(Reshape(p.Get(headPrefix+"bias"), ones...), dims...))
}
