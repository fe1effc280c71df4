package decoder

import (
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
)

// LayerNorm64 is LayerNorm with the mean and variance computed in float64, then cast back.
// Why: float32 statistics put layer predictions about 1e-5 away from torch's on the reference
// models, against a few 1e-6 in float64 (measured for GPT-2 in ecco/gpt2/layers.go); post-LN
// encoders (BERT) normalise twice per layer, so the error compounds. The cost is a few
// element-wise passes over [T, D].
func (p Params) LayerNorm64(prefix string, x *Node, eps float64) *Node {
	last := x.Rank() - 1
	x64 := ConvertDType(x, dtypes.Float64)
	centred := Sub(x64, ReduceAndKeep(x64, ReduceMean, last))
	variance := ReduceAndKeep(Mul(centred, centred), ReduceMean, last)
	normed := ConvertDType(Div(centred, Sqrt(AddScalar(variance, eps))), x.DType())
	return Add(Mul(normed, vec(p.Get(prefix+"weight"), x)), vec(p.Get(prefix+"bias"), x))
}
