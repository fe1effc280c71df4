package analysis

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestCCAOfLinearTransformIsOne: every canonical correlation between a and
// M·a is 1 for an invertible M, so CCA, PWCCA and full-rank SVCCA are all 1.
func TestCCAOfLinearTransformIsOne(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	a := randomMatrix(rng, 8, 30)
	mix := randomMatrix(rng, 8, 8)
	if mat.Det(mix) == 0 {
		t.Fatal("random mix is singular")
	}
	b := product(mix, a)
	// Without regularisation the coefficients are 1 to rounding; Ecco's
	// epsilon 1e-10, added to covariances rescaled to a largest entry of 1,
	// lowers a coefficient by about epsilon over its direction's variance.
	for _, c := range []struct {
		settings *CCASettings
		tol      float64
	}{{&CCASettings{Epsilon: 0, Threshold: 0.98}, 1e-11}, {nil, 1e-6}} {
		res, err := CanonicalCorrelations(a, b, c.settings)
		if err != nil {
			t.Fatal(err)
		}
		for i, coef := range res.Coefficients {
			if math.Abs(coef-1) > c.tol {
				t.Errorf("settings %+v: coefficient %d = %.15g, want 1 within %g", c.settings, i, coef, c.tol)
			}
		}
	}
	const tol = 1e-6
	scores := map[string]func(a, b mat.Matrix) (float64, error){
		"CCA": CCA, "PWCCA": PWCCA, "SVCCA(8)": SVCCAScore(8),
	}
	for name, score := range scores {
		got, err := score(a, b)
		if err != nil {
			t.Errorf("%s: %v", name, err)
		} else if math.Abs(got-1) > tol {
			t.Errorf("%s(a, M·a) = %.15g, want 1", name, got)
		}
	}
	// Independent noise is far from a linear transform: the score must drop.
	if got, _ := CCA(a, randomMatrix(rng, 8, 30)); got > 0.9 {
		t.Errorf("CCA of independent matrices = %g, want well below 1", got)
	}
	// SVCCA keeps the top singular directions, so with fewer dims it is 1
	// for an orthogonal map times a scale, which preserves them.
	var rotated mat.Dense
	rotated.Scale(2.5, product(randomOrthogonal(rng, 8), a))
	if got, err := SVCCA(a, &rotated, 3); err != nil || math.Abs(got-1) > tol {
		t.Errorf("SVCCA(a, 2.5·Q·a, 3) = %.15g (%v), want 1", got, err)
	}
}

// TestCKAInvariances: CKA is unchanged when either side is rotated by an
// orthogonal matrix or scaled by a constant, but not by a general linear map.
func TestCKAInvariances(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	for _, shape := range []struct{ na, nb, positions int }{{10, 7, 40}, {50, 60, 12}} {
		a := randomMatrix(rng, shape.na, shape.positions)
		b := randomMatrix(rng, shape.nb, shape.positions)
		// Give b a share of a's signal so CKA is well away from 0.
		b.Add(b, product(randomMatrix(rng, shape.nb, shape.na), a))
		base, err := CKA(a, b)
		if err != nil {
			t.Fatal(err)
		}
		rotated := product(randomOrthogonal(rng, shape.na), a)
		var scaled mat.Dense
		scaled.Scale(-3.7, rotated)
		for name, m := range map[string]mat.Matrix{"rotated": rotated, "rotated and scaled": &scaled} {
			got, err := CKA(m, b)
			if err != nil {
				t.Fatal(err)
			}
			if d := math.Abs(got - base); d > 1e-12 {
				t.Errorf("%v: CKA(%s a, b) = %.15g, CKA(a, b) = %.15g, difference %.3g", shape, name, got, base, d)
			}
			if self, err := CKA(a, m); err != nil || math.Abs(self-1) > 1e-12 {
				t.Errorf("%v: CKA(a, %s a) = %.15g (%v), want 1", shape, name, self, err)
			}
		}
		// A general linear map changes CKA, so the checks above can fail.
		skewed := product(randomMatrix(rng, shape.na, shape.na), a)
		if got, _ := CKA(skewed, b); math.Abs(got-base) < 1e-3 {
			t.Errorf("%v: CKA barely moved under a general linear map: %g vs %g", shape, got, base)
		}
	}
}

// TestCKAFormsAgree compares the Gram form with Google's feature-space form.
func TestCKAFormsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	a := randomMatrix(rng, 40, 15)
	b := randomMatrix(rng, 30, 15)
	b.Add(b, product(randomMatrix(rng, 30, 40), a))
	centreRows(a)
	centreRows(b)
	gram, feature := gramCKA(a, b), featureCKA(a, b)
	if d := math.Abs(gram - feature); d > 1e-13 {
		t.Errorf("Gram form %.16g, feature form %.16g, difference %.3g", gram, feature, d)
	}
}

// TestInputsUnchanged: scores work on copies.
func TestInputsUnchanged(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	a := randomMatrix(rng, 5, 20)
	b := randomMatrix(rng, 6, 20)
	a0, b0 := mat.DenseCopyOf(a), mat.DenseCopyOf(b)
	for _, score := range []func(a, b mat.Matrix) (float64, error){CCA, PWCCA, CKA, SVCCAScore(4)} {
		if _, err := score(a, b); err != nil {
			t.Fatal(err)
		}
	}
	if !mat.Equal(a, a0) || !mat.Equal(b, b0) {
		t.Error("a score modified its inputs")
	}
}
