package ecco

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestFloatCubeAsEncodingJSON: floatCube writes the bytes encoding/json writes for the same
// [][][]float32, over magnitudes around both exponent-form bounds, subnormals, zeros of both
// signs and nil rows; NaN and ±Inf are an error.
func TestFloatCubeAsEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	special := []float32{0, float32(math.Copysign(0, -1)), 1e-6, 9.999999e-7, 1e21, 9.99999e20, 1e-45, -3.4028235e38,
		math.SmallestNonzeroFloat32, 1, -1, 0.1, 123456.79, 1e-7, -2.5e-10}
	cube := make([][][]float32, 5)
	for i := range cube {
		cube[i] = make([][]float32, 7)
		for j := range cube[i] {
			if i == 2 && j == 3 {
				continue // a nil row
			}
			row := make([]float32, 11)
			for k := range row {
				if k < len(special) && (i+j)%2 == 0 {
					row[k] = special[(k+i)%len(special)]
				} else {
					row[k] = float32(rng.NormFloat64() * math.Pow(10, float64(rng.IntN(60)-30)))
				}
			}
			cube[i][j] = row
		}
	}
	cube = append(cube, nil, [][]float32{})
	want, err := json.Marshal(cube)
	if err != nil {
		t.Fatal(err)
	}
	got, err := cubeJSON(cube)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				t.Fatalf("differs at byte %d: got …%s…, want …%s…", i, got[max(0, i-40):min(len(got), i+40)], want[max(0, i-40):min(len(want), i+40)])
			}
		}
		t.Fatalf("got %d bytes, want %d", len(got), len(want))
	}
	for _, bad := range []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))} {
		if _, err := cubeJSON([][][]float32{{{1, bad}}}); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
	if got, _ := cubeJSON(nil); string(got) != "null" {
		t.Errorf("nil: %s, want null", got)
	}
}

// failAfter accepts n bytes, then fails every write.
type failAfter struct{ n int }

func (f *failAfter) Write(b []byte) (int, error) {
	if len(b) > f.n {
		return 0, errors.New("disk full")
	}
	f.n -= len(b)
	return len(b), nil
}

// TestFloatCubeWriteError: a writer's error stops the writing and comes back.
func TestFloatCubeWriteError(t *testing.T) {
	cube := [][][]float32{{{1, 2}, {3, 4}}, {{5, 6}}, {{7}}, {{8}}, {{9}}, {{10}}}
	err := floatCube(cube).writeJSON(&sticky{w: &failAfter{n: 12}})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("err = %v, want the writer's", err)
	}
}

// cubeJSON is what floatCube's writeJSON writes for c.
func cubeJSON(c [][][]float32) ([]byte, error) {
	var buf bytes.Buffer
	err := floatCube(c).writeJSON(&sticky{w: &buf})
	return buf.Bytes(), err
}
