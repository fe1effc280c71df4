package analysis

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestPairwiseMatchesScores(t *testing.T) {
	layers := goldenLayers(t, 1)
	mats := make([]mat.Matrix, len(layers))
	for i, l := range layers {
		mats[i] = l
	}
	_, positions := layers[0].Dims()
	firstNeurons := make([]mat.Matrix, len(layers))
	for i, l := range layers {
		firstNeurons[i] = l.Slice(0, 20, 0, positions)
	}
	for _, c := range []struct {
		name   string
		layers []mat.Matrix
		score  scoreFunc
	}{{"CKA", mats, CKA}, {"PWCCA", firstNeurons, PWCCA}, {"SVCCA(10)", firstNeurons, SVCCAScore(10)}} {
		got, err := Pairwise(c.layers, c.score)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		n := len(c.layers)
		if r, k := got.Dims(); r != n || k != n {
			t.Fatalf("%s: %d × %d, want %d × %d", c.name, r, k, n, n)
		}
		for i := range n {
			for j := range n {
				want, _ := c.score(c.layers[i], c.layers[j])
				if got.At(i, j) != want {
					t.Errorf("%s (%d, %d) = %g, want %g", c.name, i, j, got.At(i, j), want)
				}
			}
			if math.Abs(got.At(i, i)-1) > 1e-6 {
				t.Errorf("%s of layer %d with itself = %.15g, want 1", c.name, i, got.At(i, i))
			}
		}
	}
}

func TestPairwiseErrors(t *testing.T) {
	if _, err := Pairwise(nil, CKA); !errors.Is(err, ErrEmpty) {
		t.Errorf("no layers: %v, want ErrEmpty", err)
	}
	rng := rand.New(rand.NewPCG(91, 92))
	layers := []mat.Matrix{randomMatrix(rng, 3, 8), randomMatrix(rng, 3, 8)}
	if _, err := Pairwise(layers, nil); !errors.Is(err, ErrEmpty) {
		t.Errorf("nil score: %v, want ErrEmpty", err)
	}
	layers = append(layers, randomMatrix(rng, 3, 9))
	_, err := Pairwise(layers, CKA)
	if !errors.Is(err, ErrShape) || !strings.Contains(err.Error(), "layers 0 and 2") {
		t.Errorf("mismatched layer: %v, want ErrShape naming layers 0 and 2", err)
	}
}
