package decoder

import (
	"slices"
	"testing"

	"github.com/gomlx/compute/gobackend"
	"github.com/gomlx/gomlx/core/tensors"
)

func TestTransposed(t *testing.T) {
	backend, err := gobackend.New("ops_sequential")
	if err != nil {
		t.Fatal(err)
	}
	for _, dims := range [][2]int{{1, 1}, {3, 130}, {129, 65}, {200, 7}} {
		rows, cols := dims[0], dims[1]
		src := make([]float32, rows*cols)
		for i := range src {
			src[i] = float32(i)
		}
		got, err := Transposed(backend, tensors.FromFlatDataAndDimensions(src, rows, cols))
		if err != nil {
			t.Fatal(err)
		}
		if d := got.Shape().Dimensions; !slices.Equal(d, []int{cols, rows}) {
			t.Fatalf("%dx%d: transposed shape %v", rows, cols, d)
		}
		flat := tensors.MustCopyFlatData[float32](got)
		for r := range rows {
			for c := range cols {
				if flat[c*rows+r] != src[r*cols+c] {
					t.Fatalf("%dx%d: [%d,%d] = %g, want %g", rows, cols, c, r, flat[c*rows+r], src[r*cols+c])
				}
			}
		}
	}
}

// BenchmarkTransposed: DistilGPT2's LM head, [50257, 768] -> [768, 50257].
func BenchmarkTransposed(b *testing.B) {
	backend, err := gobackend.New("ops_sequential")
	if err != nil {
		b.Fatal(err)
	}
	head := tensors.FromFlatDataAndDimensions(make([]float32, 50257*768), 50257, 768)
	for b.Loop() {
		out, err := Transposed(backend, head)
		if err != nil {
			b.Fatal(err)
		}
		out.FinalizeAll()
	}
}
