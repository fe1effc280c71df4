package analysis

import (
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// benchPair returns two related neurons × 62 positions matrices, the shape of
// a DistilGPT2-sized layer (768 neurons) or a 20-neuron slice over a prompt
// plus generated tokens.
func benchPair(neurons int) (a, b *mat.Dense) {
	rng := rand.New(rand.NewPCG(101, 102))
	a = randomMatrix(rng, neurons, 62)
	b = randomMatrix(rng, neurons, 62)
	b.Add(b, a)
	return a, b
}

func benchScore(b *testing.B, neurons int, score scoreFunc) {
	x, y := benchPair(neurons)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := score(x, y); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCKA768x62(b *testing.B)   { benchScore(b, 768, CKA) }
func BenchmarkSVCCA768x62(b *testing.B) { benchScore(b, 768, SVCCAScore(20)) }
func BenchmarkCCA20x62(b *testing.B)    { benchScore(b, 20, CCA) }
func BenchmarkPWCCA20x62(b *testing.B)  { benchScore(b, 20, PWCCA) }
func BenchmarkPairwiseCKA(b *testing.B) {
	rng := rand.New(rand.NewPCG(103, 104))
	layers := make([]mat.Matrix, 6)
	for i := range layers {
		layers[i] = randomMatrix(rng, 768, 62)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Pairwise(layers, CKA); err != nil {
			b.Fatal(err)
		}
	}
}
