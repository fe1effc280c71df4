package analysis

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// PWCCAResult holds a projection-weighted CCA of two activation matrices.
type PWCCAResult struct {
	// Score is the weighted mean of Coefficients: Ecco's pwcca score.
	Score float64
	// Weights sum to 1: how much of the chosen side's activations each
	// canonical direction accounts for.
	Weights []float64
	// Coefficients are the canonical correlations, largest first.
	Coefficients []float64
	// WeightedByB reports that the weights come from b, because b kept
	// fewer neurons than a; otherwise they come from a.
	WeightedByB bool
}

// PWCCA returns Ecco's pwcca score of a and b (Google's compute_pwcca):
// canonical correlations weighted by how much of the activations each
// canonical direction accounts for.
func PWCCA(a, b mat.Matrix) (float64, error) {
	res, err := ProjectionWeightedCCA(a, b, nil)
	if err != nil {
		return 0, err
	}
	return res.Score, nil
}

// ProjectionWeightedCCA runs PWCCA between a and b, both (neurons ×
// positions) with more positions than neurons. A nil settings means Ecco's.
func ProjectionWeightedCCA(a, b mat.Matrix, settings *CCASettings) (*PWCCAResult, error) {
	x, y, s, err := ccaInputs("PWCCA", a, b, settings)
	if err != nil {
		return nil, err
	}
	// canonical centres its arguments in place; the weights need raw values.
	cca, err := canonical(mat.DenseCopyOf(x), mat.DenseCopyOf(y), s)
	if err != nil {
		return nil, err
	}

	// Weight by the side that kept fewer neurons: its directions are all
	// paired with a coefficient.
	acts, kept, coef, means := x, cca.KeptA, cca.coefA, cca.meansA
	res := &PWCCAResult{Coefficients: cca.Coefficients}
	if count(cca.KeptA) > count(cca.KeptB) {
		acts, kept, coef, means = y, cca.KeptB, cca.coefB, cca.meansB
		res.WeightedByB = true
	}
	idx := keptIndices(kept)
	_, positions := acts.Dims()
	keptActs := subset(acts, idx, seq(positions))

	// Google's directions: coef · (acts - mean) + mean, per kept neuron.
	centred := mat.DenseCopyOf(keptActs)
	for i, r := range idx {
		row := centred.RawRowView(i)
		for j := range row {
			row[j] -= means[r]
		}
	}
	var dirns mat.Dense
	dirns.Mul(coef, centred)
	for i, r := range idx {
		row := dirns.RawRowView(i)
		for j := range row {
			row[j] += means[r]
		}
	}

	basis := orthonormalRows(&dirns)
	var proj mat.Dense
	proj.Mul(basis, keptActs.T())
	res.Weights = make([]float64, len(idx))
	var total float64
	for i := range res.Weights {
		for _, v := range proj.RawRowView(i) {
			res.Weights[i] += math.Abs(v)
		}
		total += res.Weights[i]
	}
	for i := range res.Weights {
		res.Weights[i] /= total
		res.Score += res.Weights[i] * res.Coefficients[i]
	}
	return res, nil
}

// orthonormalRows returns the k × positions matrix whose rows are the first k
// columns of Q in the QR factorisation of dirnsᵀ (a Gram–Schmidt basis of the
// rows of dirns, in order).
func orthonormalRows(dirns *mat.Dense) *mat.Dense {
	k, positions := dirns.Dims()
	var qr mat.QR
	qr.Factorize(dirns.T())
	var q mat.Dense
	qr.QTo(&q)
	return mat.DenseCopyOf(q.Slice(0, positions, 0, k).T())
}

func count(flags []bool) int {
	n := 0
	for _, f := range flags {
		if f {
			n++
		}
	}
	return n
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
