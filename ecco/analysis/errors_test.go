package analysis

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

type scoreFunc = func(a, b mat.Matrix) (float64, error)

var allScores = map[string]scoreFunc{"CCA": CCA, "PWCCA": PWCCA, "CKA": CKA, "SVCCA(2)": SVCCAScore(2)}

func TestErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(51, 52))
	good := randomMatrix(rng, 4, 10)
	withNaN := randomMatrix(rng, 4, 10)
	withNaN.Set(2, 7, math.NaN())
	withInf := randomMatrix(rng, 4, 10)
	withInf.Set(0, 3, math.Inf(-1))
	constant := mat.NewDense(4, 10, nil)
	constant.Apply(func(i, j int, _ float64) float64 { return float64(i) }, constant)
	var typedNil *mat.Dense

	cases := []struct {
		name     string
		a, b     mat.Matrix
		scores   []string
		want     error
		mentions []string
	}{
		{"nil a", nil, good, []string{"CCA", "PWCCA", "CKA", "SVCCA(2)"}, ErrEmpty, []string{"a is nil"}},
		{"typed nil b", good, typedNil, []string{"CCA", "PWCCA", "CKA", "SVCCA(2)"}, ErrEmpty, []string{"b is nil"}},
		{"empty b", good, &mat.Dense{}, []string{"CCA", "PWCCA", "CKA", "SVCCA(2)"}, ErrEmpty, []string{"0 × 0"}},
		{"positions differ", good, randomMatrix(rng, 4, 11), []string{"CCA", "PWCCA", "CKA", "SVCCA(2)"}, ErrShape,
			[]string{"10 positions", "11"}},
		{"one position", randomMatrix(rng, 1, 1), randomMatrix(rng, 1, 1), []string{"CCA", "PWCCA", "CKA"}, ErrShape,
			[]string{"at least 2"}},
		{"NaN", withNaN, good, []string{"CCA", "PWCCA", "CKA", "SVCCA(2)"}, ErrNotFinite, []string{"a[2][7]", "NaN"}},
		{"Inf", good, withInf, []string{"CCA", "PWCCA", "CKA", "SVCCA(2)"}, ErrNotFinite, []string{"b[0][3]", "-Inf"}},
		{"too many neurons in a", randomMatrix(rng, 10, 10), good, []string{"CCA", "PWCCA"}, ErrShape,
			[]string{"more positions than neurons", "a is 10 neurons × 10 positions", "CKA", "SVCCA"}},
		{"too many neurons in b", good, randomMatrix(rng, 12, 10), []string{"CCA", "PWCCA"}, ErrShape,
			[]string{"b is 12 neurons × 10 positions"}},
		{"constant a", constant, good, []string{"CCA", "PWCCA", "CKA", "SVCCA(2)"}, ErrNoVariance, []string{"a"}},
		{"constant b", good, constant, []string{"CCA", "PWCCA", "CKA", "SVCCA(2)"}, ErrNoVariance, []string{"b"}},
	}
	for _, c := range cases {
		for _, name := range c.scores {
			got, err := allScores[name](c.a, c.b)
			if !errors.Is(err, c.want) {
				t.Errorf("%s, %s: error %v, want %v", c.name, name, err, c.want)
				continue
			}
			if got != 0 {
				t.Errorf("%s, %s: score %g alongside an error", c.name, name, got)
			}
			for _, m := range c.mentions {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("%s, %s: error %q does not mention %q", c.name, name, err, m)
				}
			}
		}
	}
}

func TestSVCCADimsRange(t *testing.T) {
	rng := rand.New(rand.NewPCG(61, 62))
	a, b := randomMatrix(rng, 6, 9), randomMatrix(rng, 20, 9)
	for _, dims := range []int{-1, 0, 7, 9} {
		if _, err := SVCCA(a, b, dims); !errors.Is(err, ErrDims) || !strings.Contains(err.Error(), "want 1 to 6") {
			t.Errorf("dims %d: error %v, want ErrDims naming the range 1 to 6", dims, err)
		}
	}
	// b has more neurons than positions: dims is capped by positions - 1.
	wide := randomMatrix(rng, 30, 9)
	if _, err := SVCCA(wide, b, 9); !errors.Is(err, ErrDims) || !strings.Contains(err.Error(), "want 1 to 8") {
		t.Errorf("dims 9 on 9 positions: error %v, want ErrDims naming 1 to 8", err)
	}
	for _, dims := range []int{1, 6} {
		if got, err := SVCCA(a, b, dims); err != nil || got < 0 || got > 1+1e-12 {
			t.Errorf("dims %d: %g, %v", dims, got, err)
		}
	}
}

func TestSettingsErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(71, 72))
	a, b := randomMatrix(rng, 3, 10), randomMatrix(rng, 3, 10)
	for _, s := range []CCASettings{
		{Epsilon: -1, Threshold: 0.98}, {Epsilon: math.NaN(), Threshold: 0.98}, {Epsilon: math.Inf(1), Threshold: 0.98},
		{Epsilon: 1e-10, Threshold: 0}, {Epsilon: 1e-10, Threshold: 1.5}, {Epsilon: 1e-10, Threshold: math.NaN()},
	} {
		if _, err := CanonicalCorrelations(a, b, &s); !errors.Is(err, ErrSettings) {
			t.Errorf("settings %+v: error %v, want ErrSettings", s, err)
		}
		if _, err := ProjectionWeightedCCA(a, b, &s); !errors.Is(err, ErrSettings) {
			t.Errorf("PWCCA settings %+v: error %v, want ErrSettings", s, err)
		}
	}
}

// TestDroppedNeurons: a constant neuron is dropped (Google's remove_small)
// rather than failing the score.
func TestDroppedNeurons(t *testing.T) {
	rng := rand.New(rand.NewPCG(81, 82))
	a, b := randomMatrix(rng, 5, 20), randomMatrix(rng, 5, 20)
	for j := range 20 {
		a.Set(1, j, 3)
	}
	res, err := CanonicalCorrelations(a, b, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.KeptA[1] || count(res.KeptA) != 4 || count(res.KeptB) != 5 || len(res.Coefficients) != 4 {
		t.Errorf("kept a %v, kept b %v, %d coefficients; want neuron 1 of a dropped and 4 coefficients",
			res.KeptA, res.KeptB, len(res.Coefficients))
	}
	pw, err := ProjectionWeightedCCA(a, b, nil)
	if err != nil {
		t.Fatal(err)
	}
	if pw.WeightedByB || len(pw.Weights) != 4 {
		t.Errorf("WeightedByB %v with %d weights, want a's 4 kept neurons", pw.WeightedByB, len(pw.Weights))
	}
	// b now keeps fewer neurons, so the weights come from b.
	pw, err = ProjectionWeightedCCA(b, a, nil)
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, w := range pw.Weights {
		sum += w
	}
	if !pw.WeightedByB || len(pw.Weights) != 4 || math.Abs(sum-1) > 1e-12 {
		t.Errorf("WeightedByB %v, weights %v (sum %g), want 4 weights from b summing to 1", pw.WeightedByB, pw.Weights, sum)
	}
}

func TestLeadingMean(t *testing.T) {
	cases := []struct {
		coefs []float64
		want  float64
	}{
		{[]float64{1, 0.5, 0.01}, 0.75},   // 1.5 of 1.51 passes 98% after two
		{[]float64{1, 1}, 1},              // no shorter prefix reaches 98%: all
		{[]float64{0.9, 0.1, 0.001}, 0.5}, // 1.0 of 1.001 after two
		{[]float64{0, 0}, 0},
		{nil, 0},
	}
	for _, c := range cases {
		if got := leadingMean(c.coefs, 0.98); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("leadingMean(%v) = %g, want %g", c.coefs, got, c.want)
		}
	}
}
