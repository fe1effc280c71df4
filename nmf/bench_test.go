package nmf

import (
	"testing"

	"gonum.org/v1/gonum/mat"
)

// benchmarkActivations is a DistilGPT2-sized NMF input: 62 positions ×
// (6 layers · 3072 neurons), max(0, N(0,1)) from numpy's RandomState(1),
// so scikit-learn can be timed on the same matrix
// (np.maximum(RandomState(1).standard_normal((62, 18432)), 0).astype(np.float32)).
func benchmarkActivations() *mat.Dense {
	const positions, features = 62, 6 * 3072
	rs := newRandomState(1)
	data := make([]float64, positions*features)
	for i := range data {
		data[i] = max(0, rs.standardNormal())
	}
	return mat.NewDense(positions, features, data)
}

// BenchmarkFactorizeDistilGPT2 is Ecco's run_nmf default (k=10, random
// init, cd, max_iter 500, float32) on a DistilGPT2-sized matrix.
func BenchmarkFactorizeDistilGPT2(b *testing.B) {
	x := benchmarkActivations()
	s := &Settings{Components: 10}
	var res *Result
	for b.Loop() {
		var err error
		if res, err = Factorize(x, s); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(res.Iterations), "iterations")
}

func BenchmarkFactorizeDistilGPT2Float64(b *testing.B) {
	x := benchmarkActivations()
	s := &Settings{Components: 10, Float64: true}
	var res *Result
	for b.Loop() {
		var err error
		if res, err = Factorize(x, s); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(res.Iterations), "iterations")
}
