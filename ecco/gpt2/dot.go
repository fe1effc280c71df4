package gpt2

import (
	"runtime"
	"slices"
	"sync"
	"weak"

	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
)

// Why this file exists: gomlx v0.26.0's built-in gradient of DotGeneral broadcasts both operands
// to [batch, lhs, rhs, contracting] before reducing, which costs seconds and gigabytes for one
// DistilGPT2 saliency. dot records the axes of every DotGeneral the model creates, and the VJP
// registered below computes each operand's gradient with one DotGeneral, skipping weights.

// dotSpec is what the VJP needs to know about a DotGeneral node the model created.
type dotSpec struct {
	lhsContract, lhsBatch, rhsContract, rhsBatch []int
	rhsIsWeight                                  bool                // no gradient flows into the weights
	lhsGrad                                      func(v *Node) *Node // when set, computes the lhs gradient
}

var (
	dotSpecs    sync.Map // weak.Pointer[Node] -> dotSpec
	registerVJP sync.Once
	builtinVJP  VJP
)

// dot is graph.DotGeneral with a memory of its axes, so that its gradient can be cheap.
// The output's axes are [batch..., lhs free..., rhs free...], as in graph.DotGeneral.
func dot(lhs *Node, lhsContract, lhsBatch []int, rhs *Node, rhsContract, rhsBatch []int, rhsIsWeight bool) *Node {
	return recordDot(lhs, rhs, dotSpec{lhsContract: lhsContract, lhsBatch: lhsBatch, rhsContract: rhsContract, rhsBatch: rhsBatch, rhsIsWeight: rhsIsWeight})
}

// recordDot creates the DotGeneral of spec and remembers spec for its gradient.
func recordDot(lhs, rhs *Node, spec dotSpec) *Node {
	registerVJP.Do(func() {
		builtinVJP = VJPRegistration[NodeTypeDotGeneral]
		VJPRegistration[NodeTypeDotGeneral] = dotVJP
	})
	out := DotGeneral(lhs, spec.lhsContract, spec.lhsBatch, rhs, spec.rhsContract, spec.rhsBatch)
	key := weak.Make(out)
	dotSpecs.Store(key, spec)
	runtime.AddCleanup(out, func(k weak.Pointer[Node]) { dotSpecs.Delete(k) }, key)
	return out
}

// dotVJP is the VJP for DotGeneral: recorded nodes get two DotGenerals, others the built-in rule.
func dotVJP(node *Node, v []*Node, outputShape shapes.Shape) []*Node {
	value, ok := dotSpecs.Load(weak.Make(node))
	if !ok {
		return builtinVJP(node, v, outputShape)
	}
	s := value.(dotSpec)
	if s.lhsGrad != nil {
		return []*Node{s.lhsGrad(v[0]), nil}
	}
	lhs, rhs := node.Inputs()[0], node.Inputs()[1]
	grad := v[0]
	nBatch := len(s.lhsBatch)
	lhsFree := freeAxes(lhs.Rank(), s.lhsContract, s.lhsBatch)
	rhsFree := freeAxes(rhs.Rank(), s.rhsContract, s.rhsBatch)
	gradBatch := seq(0, nBatch)
	gradLhsFree := seq(nBatch, len(lhsFree))
	gradRhsFree := seq(nBatch+len(lhsFree), len(rhsFree))

	// d/dlhs: contract grad's rhs-free axes with rhs's free axes: [batch, lhsFree, rhs's contracted axes (ascending)].
	dLhs := DotGeneral(grad, gradRhsFree, gradBatch, rhs, rhsFree, s.rhsBatch)
	dLhs = TransposeAllAxes(dLhs, backPermutation(lhs.Rank(), s.lhsBatch, lhsFree, s.lhsContract, s.rhsContract)...)
	if s.rhsIsWeight {
		return []*Node{dLhs, nil}
	}
	// d/drhs: contract grad's lhs-free axes with lhs's free axes: [batch, rhsFree, lhs's contracted axes (ascending)].
	dRhs := DotGeneral(grad, gradLhsFree, gradBatch, lhs, lhsFree, s.lhsBatch)
	dRhs = TransposeAllAxes(dRhs, backPermutation(rhs.Rank(), s.rhsBatch, rhsFree, s.rhsContract, s.lhsContract)...)
	return []*Node{dLhs, dRhs}
}

// backPermutation returns the permutation that takes a gradient laid out as
// [batch..., free..., contracted (in ascending order of the other operand's paired axes)...]
// back to the operand's own axis order.
func backPermutation(rank int, batch, free, contract, otherContract []int) []int {
	src := make([]int, rank) // src[operand axis] = axis in the gradient
	for i, a := range batch {
		src[a] = i
	}
	for i, a := range free {
		src[a] = len(batch) + i
	}
	sortedOther := slices.Sorted(slices.Values(otherContract))
	for i, a := range contract {
		src[a] = len(batch) + len(free) + slices.Index(sortedOther, otherContract[i])
	}
	return src
}

// freeAxes are the axes neither contracted nor batched, ascending.
func freeAxes(rank int, contract, batch []int) []int {
	var free []int
	for a := range rank {
		if !slices.Contains(contract, a) && !slices.Contains(batch, a) {
			free = append(free, a)
		}
	}
	return free
}

func seq(from, n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = from + i
	}
	return s
}
