package decoder

import (
	"math"
	"slices"

	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
)

// activation is one of HuggingFace's activation functions (transformers' ACT2FN) with its
// derivative, which the batched backward pass uses.
type activation struct {
	f, slope func(x *Node) *Node
}

var activations = map[string]activation{
	"gelu_new":          {geluTanh, geluTanhSlope}, // GPT-2's default: the tanh approximation
	"gelu_pytorch_tanh": {geluTanh, geluTanhSlope},
	"gelu_fast":         {geluTanh, geluTanhSlope}, // the same curve, written differently in transformers
	"gelu":              {geluErf, geluErfSlope},
	"relu":              {relu, reluSlope},
	"quick_gelu":        {sigmoidGate(1.702), sigmoidGateSlope(1.702)},
	"silu":              {sigmoidGate(1), sigmoidGateSlope(1)},
	"swish":             {sigmoidGate(1), sigmoidGateSlope(1)},
}

// Activation reports whether name is a supported activation function.
func Activation(name string) bool {
	_, ok := activations[name]
	return ok
}

// Activations lists the supported activation names.
func Activations() []string {
	names := make([]string, 0, len(activations))
	for name := range activations {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// activate applies the activation name; an unknown name is a programmer error (configs check
// theirs with Activation).
func activate(name string, x *Node) *Node {
	a, ok := activations[name]
	if !ok {
		panic("decoder: unknown activation " + name)
	}
	return a.f(x)
}

// geluTanh is 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
func geluTanh(x *Node) *Node {
	cube := Mul(Mul(x, x), x)
	inner := MulScalar(Add(x, MulScalar(cube, 0.044715)), math.Sqrt(2/math.Pi))
	return Mul(MulScalar(x, 0.5), AddScalar(Tanh(inner), 1))
}

// geluTanhSlope: with u = c·(x + 0.044715·x³), c = √(2/π), the derivative of
// 0.5·x·(1 + tanh u) is 0.5·(1 + tanh u) + 0.5·x·(1 − tanh² u)·c·(1 + 3·0.044715·x²).
func geluTanhSlope(x *Node) *Node {
	c := math.Sqrt(2 / math.Pi)
	square := Mul(x, x)
	th := Tanh(MulScalar(Add(x, MulScalar(Mul(square, x), 0.044715)), c))
	du := MulScalar(AddScalar(MulScalar(square, 3*0.044715), 1), c)
	inner := Mul(Mul(MulScalar(x, 0.5), OneMinus(Mul(th, th))), du)
	return Add(MulScalar(AddScalar(th, 1), 0.5), inner)
}

// geluErf is the exact GELU, 0.5·x·(1 + erf(x/√2)).
func geluErf(x *Node) *Node {
	return Mul(MulScalar(x, 0.5), AddScalar(Erf(MulScalar(x, 1/math.Sqrt2)), 1))
}

// geluErfSlope: the derivative of x·Φ(x) is Φ(x) + x·φ(x).
func geluErfSlope(x *Node) *Node {
	cdf := MulScalar(AddScalar(Erf(MulScalar(x, 1/math.Sqrt2)), 1), 0.5)
	pdf := MulScalar(Exp(MulScalar(Mul(x, x), -0.5)), 1/math.Sqrt(2*math.Pi))
	return Add(cdf, Mul(x, pdf))
}

func relu(x *Node) *Node      { return Max(x, ZerosLike(x)) }
func reluSlope(x *Node) *Node { return ConvertDType(GreaterThan(x, ZerosLike(x)), x.DType()) }

// sigmoidGate is x·σ(a·x): SiLU for a = 1, quick GELU for a = 1.702.
func sigmoidGate(a float64) func(x *Node) *Node {
	return func(x *Node) *Node { return Mul(x, Sigmoid(MulScalar(x, a))) }
}

// sigmoidGateSlope: the derivative of x·σ(a·x) is σ + a·x·σ·(1 − σ).
func sigmoidGateSlope(a float64) func(x *Node) *Node {
	return func(x *Node) *Node {
		s := Sigmoid(MulScalar(x, a))
		return Add(s, MulScalar(Mul(x, Mul(s, OneMinus(s))), a))
	}
}
