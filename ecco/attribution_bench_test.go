package ecco

import "testing"

// The attribution benchmarks time the attribution alone, on the output of 35 generated tokens
// (grad×input) or 10 (integrated gradients), for CPU profiles of the gradient graphs without the
// decoding steps around them:
//
//	GOEXPERIMENT=simd go test -run XXX -bench Attribute -benchtime 3x -cpuprofile cpu.prof ./ecco

func benchAttribute(b *testing.B, tokens int, method Method) {
	lm := benchLM(b)
	out, err := lm.Generate(benchPrompt, GenerateOptions{Tokens: tokens})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		delete(out.Attributions, string(method))
		out.Attention = nil // the attention methods capture it again: one forward pass
		if _, err := out.Attribution(method); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDistilGPT2AttributeGradXInput35(b *testing.B) { benchAttribute(b, 35, GradXInput) }

func BenchmarkDistilGPT2AttributeIG10(b *testing.B) { benchAttribute(b, 10, IntegratedGradients) }

// BenchmarkDistilGPT2Methods35 times every attribution method on the same 35 generated tokens:
//
//	GOEXPERIMENT=simd go test -run XXX -bench Methods35 -benchtime 1x ./ecco
func BenchmarkDistilGPT2Methods35(b *testing.B) {
	for _, m := range []Method{GradXInput, Gradient, IntegratedGradients, Occlusion, LastLayerAttention, AttentionRollout, ValueZeroing} {
		b.Run(string(m), func(b *testing.B) { benchAttribute(b, 35, m) })
	}
}
