package analysis

import (
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// randomMatrix returns an r × c matrix of standard normal entries.
func randomMatrix(rng *rand.Rand, r, c int) *mat.Dense {
	m := mat.NewDense(r, c, nil)
	for i := range r {
		for j := range c {
			m.Set(i, j, rng.NormFloat64())
		}
	}
	return m
}

// randomOrthogonal returns the Q factor of a random n × n normal matrix.
func randomOrthogonal(rng *rand.Rand, n int) *mat.Dense {
	var qr mat.QR
	qr.Factorize(randomMatrix(rng, n, n))
	var q mat.Dense
	qr.QTo(&q)
	return &q
}

// product returns x·y.
func product(x, y mat.Matrix) *mat.Dense {
	var out mat.Dense
	out.Mul(x, y)
	return &out
}
