package display

import (
	"math/rand/v2"
	"testing"
)

// benchTokens makes n tokens of which the first nInput are the prompt.
func benchTokens(n int) []Token {
	toks := make([]Token, n)
	for i := range toks {
		toks[i] = Token{Text: " token", ID: i, Partial: i%3 == 0}
	}
	return toks
}

// BenchmarkSaliencyHTML renders a 28-token prompt with 35 generated tokens
// (the size of the reference timing run) and a 200 + 200 one.
func BenchmarkSaliencyHTML(b *testing.B) {
	for _, size := range []struct {
		name        string
		nIn, nTotal int
	}{{"28+35", 28, 63}, {"200+200", 200, 400}} {
		b.Run(size.name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 2))
			scores := make([][]float64, size.nTotal-size.nIn)
			for i := range scores {
				scores[i] = make([]float64, size.nIn+i)
				for j := range scores[i] {
					scores[i][j] = rng.Float64()
				}
			}
			s := Saliency{Tokens: benchTokens(size.nTotal), NInput: size.nIn, Method: "grad_x_input", Scores: scores}
			b.ReportAllocs()
			for b.Loop() {
				_ = s.HTML()
			}
		})
	}
}

// BenchmarkFactorsHTML renders 8 factors over 400 tokens with 10 neurons each.
func BenchmarkFactorsHTML(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	const k, p = 8, 400
	vals := make([][]float64, k)
	top := make([][]Neuron, k)
	for f := range vals {
		vals[f] = make([]float64, p)
		for i := range vals[f] {
			vals[f][i] = rng.Float64()
		}
		for n := range 10 {
			top[f] = append(top[f], Neuron{Layer: n % 6, Index: n * 37, Weight: rng.Float64()})
		}
	}
	v := Factors{Tokens: benchTokens(p), NInput: 100, Values: vals, TopNeurons: top}
	b.ReportAllocs()
	for b.Loop() {
		_ = v.HTML()
	}
}
