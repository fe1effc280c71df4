package gpt2

import (
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
)

// params gives graph code the weight nodes by HuggingFace key ("h.0.ln_1.weight").
type params map[string]*Node

// vec returns a [D] weight reshaped to broadcast against x's last axis: the pure-Go backend does
// not broadcast across ranks, so [D] becomes [1, ..., 1, D].
func (p params) vec(key string, x *Node) *Node {
	w := p[key]
	if w == nil {
		panic("gpt2: graph asked for unknown weight " + key)
	}
	dims := make([]int, x.Rank())
	for i := range dims {
		dims[i] = 1
	}
	dims[len(dims)-1] = w.Shape().Dimensions[0]
	return Reshape(w, dims...)
}

// linear is a Conv1D: x [..., in] · weight [in, out] + bias [out]. The weight stays in the
// checkpoint's [in, out] layout: measured with compute v0.1.6's AVX-512 kernel at 28–64 rows,
// x·W with W [in, out] runs at 98–131 GFLOP/s against 58–88 for W stored [out, in].
func (p params) linear(prefix string, x *Node) *Node {
	y := weightProduct(x, p[prefix+"weight"])
	return Add(y, p.vec(prefix+"bias", y))
}

// layerNorm normalises x over its last axis with the biased variance, as torch does.
// Written out because graph.LayerNormalization defaults epsilon to 1e-3.
func (p params) layerNorm(prefix string, x *Node, eps float64) *Node {
	last := x.Rank() - 1
	mean := ReduceAndKeep(x, ReduceMean, last)
	centred := Sub(x, mean)
	variance := ReduceAndKeep(Mul(centred, centred), ReduceMean, last)
	normed := Div(centred, Sqrt(AddScalar(variance, eps))) // Rsqrt has no gradient in gomlx v0.26.0
	return Add(Mul(normed, p.vec(prefix+"weight", x)), p.vec(prefix+"bias", x))
}
