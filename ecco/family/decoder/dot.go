package decoder

import (
	"runtime"
	"sync"
	"weak"

	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
)

// Why this file exists: for y = x·W with W [in, out] (gpt2's Conv1D weights as stored, the
// encoder-decoder families' nn.Linear weights once transposed at load, see Spec.Linear), GoMLX's
// DotGeneral gradient computes dx = dy·Wᵀ with W as the right operand contracted on its last
// axis. compute v0.1.6 packs such an operand with a scalar loop, the whole weight on every call:
// 32% of the time of `generate 35 + grad_x_input` on DistilGPT2. As the left operand (W·dyᵀ,
// then transposed back) the weight takes the SIMD packing path, and no transposed copy of the
// weights is needed.
//
// Global effect: DotGeneral's VJP is replaced once, at the first WeightProduct; the replacement
// applies only to the nodes WeightProduct created and hands every other DotGeneral, in this
// program's other GoMLX graphs too, to the rule it replaced.

var (
	weightProducts sync.Map // weak.Pointer[Node] -> struct{}: nodes made by WeightProduct
	installVJP     sync.Once
	builtinDotVJP  VJP
)

// WeightProduct is x [..., in] · w [in, out] -> [..., out]; no gradient flows into w.
func WeightProduct(x, w *Node) *Node {
	installVJP.Do(func() {
		builtinDotVJP = VJPRegistration[NodeTypeDotGeneral]
		VJPRegistration[NodeTypeDotGeneral] = dotVJP
	})
	y := DotGeneral(x, []int{x.Rank() - 1}, nil, w, []int{0}, nil)
	key := weak.Make(y)
	weightProducts.Store(key, struct{}{})
	runtime.AddCleanup(y, func(k weak.Pointer[Node]) { weightProducts.Delete(k) }, key)
	return y
}

// dotVJP: for a WeightProduct node, dx = (W·dyᵀ)ᵀ reshaped to x; others get the built-in rule.
func dotVJP(node *Node, v []*Node, outputShape shapes.Shape) []*Node {
	if _, ok := weightProducts.Load(weak.Make(node)); !ok {
		return builtinDotVJP(node, v, outputShape)
	}
	x, w := node.Inputs()[0], node.Inputs()[1]
	out := w.Shape().Dimensions[1]
	dy := Reshape(v[0], -1, out)                                           // [N, out]
	dx := Transpose(DotGeneral(w, []int{1}, nil, dy, []int{1}, nil), 0, 1) // [N, in]
	return []*Node{Reshape(dx, x.Shape().Dimensions...), nil}
}
