package gpt2

import (
	"math"
	"slices"

	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
)

// activations maps HuggingFace's `activation_function` names (transformers ACT2FN) to graph code.
var activations = map[string]func(x *Node) *Node{
	"gelu_new":          geluTanh, // GPT-2's default: the tanh approximation
	"gelu_pytorch_tanh": geluTanh,
	"gelu_fast":         geluTanh, // the same curve, written differently in transformers
	"gelu":              geluErf,
	"relu":              relu,
	"quick_gelu":        func(x *Node) *Node { return Mul(x, Sigmoid(MulScalar(x, 1.702))) },
	"silu":              func(x *Node) *Node { return Mul(x, Sigmoid(x)) },
	"swish":             func(x *Node) *Node { return Mul(x, Sigmoid(x)) },
}

// Activations lists the supported `activation_function` names.
func Activations() []string {
	names := make([]string, 0, len(activations))
	for name := range activations {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// geluTanh is 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
func geluTanh(x *Node) *Node {
	cube := Mul(Mul(x, x), x)
	inner := MulScalar(Add(x, MulScalar(cube, 0.044715)), math.Sqrt(2/math.Pi))
	return Mul(MulScalar(x, 0.5), AddScalar(Tanh(inner), 1))
}

// geluErf is the exact GELU, 0.5·x·(1 + erf(x/√2)).
func geluErf(x *Node) *Node {
	return Mul(MulScalar(x, 0.5), AddScalar(Erf(MulScalar(x, 1/math.Sqrt2)), 1))
}

func relu(x *Node) *Node { return Max(x, ZerosLike(x)) }
