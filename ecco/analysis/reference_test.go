package analysis

import (
	"encoding/json"
	"io"
	"math"
	"os"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// referenceCase is one case of testdata/reference.json, written by
// testdata/make_reference.py from Ecco's own analysis code. Absent scores
// are NaN.
type referenceCase struct {
	Name           string      `json:"name"`
	A              [][]float64 `json:"a"`
	B              [][]float64 `json:"b"`
	SVCCADims      int         `json:"svcca_dims"`
	SVCCA          float64     `json:"svcca"`
	CKA            float64     `json:"cka"`
	CCA            *float64    `json:"cca"`
	PWCCA          *float64    `json:"pwcca"`
	PWCCAWeightedB *float64    `json:"pwcca_weighted_by_b"`
}

func readReference(t *testing.T) []referenceCase {
	t.Helper()
	f, err := os.Open("testdata/reference.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 1<<20))
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Cases []referenceCase `json:"cases"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatalf("decode testdata/reference.json: %v", err)
	}
	if len(file.Cases) == 0 {
		t.Fatal("testdata/reference.json has no cases")
	}
	return file.Cases
}

func denseRows(t *testing.T, rows [][]float64) *mat.Dense {
	t.Helper()
	m := mat.NewDense(len(rows), len(rows[0]), nil)
	for i, r := range rows {
		if len(r) != len(rows[0]) {
			t.Fatalf("ragged row %d", i)
		}
		m.SetRow(i, r)
	}
	return m
}

// TestReferenceScores checks every score on well-conditioned matrices, where
// Ecco's value moves by under 3e-15 with 1e-15 input noise, so a correct
// port agrees to far better than the golden tolerance.
func TestReferenceScores(t *testing.T) {
	const tol = 1e-10
	for _, c := range readReference(t) {
		a, b := denseRows(t, c.A), denseRows(t, c.B)
		check := func(score string, got float64, err error, want float64) {
			t.Helper()
			if err != nil {
				t.Errorf("%s %s: %v", c.Name, score, err)
				return
			}
			if d := math.Abs(got - want); !(d <= tol) {
				t.Errorf("%s %s = %.16g, Ecco %.16g, difference %.3g", c.Name, score, got, want, d)
			}
		}
		got, err := SVCCA(a, b, c.SVCCADims)
		check("svcca", got, err, c.SVCCA)
		got, err = CKA(a, b)
		check("cka", got, err, c.CKA)
		if c.CCA != nil {
			got, err = CCA(a, b)
			check("cca", got, err, *c.CCA)
		}
		if c.PWCCA != nil || c.PWCCAWeightedB != nil {
			res, err := ProjectionWeightedCCA(a, b, nil)
			if err != nil {
				t.Errorf("%s pwcca: %v", c.Name, err)
				continue
			}
			want := c.PWCCA
			if c.PWCCAWeightedB != nil {
				want = c.PWCCAWeightedB
			}
			if res.WeightedByB != (c.PWCCAWeightedB != nil) {
				t.Errorf("%s: WeightedByB = %v, want %v", c.Name, res.WeightedByB, c.PWCCAWeightedB != nil)
			}
			check("pwcca", res.Score, nil, *want)
		}
	}
}
