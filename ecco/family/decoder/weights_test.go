package decoder

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/compute/gobackend"
	"github.com/gomlx/gomlx/core/tensors"
)

// mapSource is a Source of float32 tensors held in memory.
type mapSource struct {
	values map[string][]float32
	shapes map[string][]int
}

func (s mapSource) Names() []string                  { return slices.Sorted(maps.Keys(s.values)) }
func (s mapSource) Shape(name string) ([]int, error) { return s.shapes[name], nil }
func (s mapSource) Where(string) string              { return "memory" }
func (s mapSource) ReadFloat32(name string, dst []float32) error {
	if len(dst) != len(s.values[name]) {
		return fmt.Errorf("%d values, want %d", len(dst), len(s.values[name]))
	}
	copy(dst, s.values[name])
	return nil
}

// TestRowsPermuteBeforeTransposing: Spec.Rows reorders a tensor's rows as it is read, and an
// nn.Linear weight is transposed after the reordering; a bias is reordered alike.
func TestRowsPermuteBeforeTransposing(t *testing.T) {
	src := mapSource{
		values: map[string][]float32{"w": {0, 1, 10, 11, 20, 21}, "b": {0, 1, 2}, "n": {5, 6}},
		shapes: map[string][]int{"w": {3, 2}, "b": {3}, "n": {2}},
	}
	perm := []int{2, 0, 1}
	spec := Spec{Family: "test", Want: src.shapes,
		Linear: func(key string) bool { return key == "w" },
		Rows: func(key string) []int {
			if key == "n" {
				return nil
			}
			return perm
		}}
	w, err := Read(src, spec, "memory")
	if err != nil {
		t.Fatal(err)
	}
	backend, err := gobackend.New("ops_sequential")
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]float32{
		"w": {20, 0, 10, 21, 1, 11}, // rows 2, 0, 1 of [3, 2], then [2, 3]
		"b": {2, 0, 1},
		"n": {5, 6},
	} {
		tensor, _, err := w.newWeight(backend, name, &scratch{})
		if err != nil {
			t.Fatal(err)
		}
		if got := tensors.MustCopyFlatData[float32](tensor); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", name, got, want)
		}
	}
	spec.Rows = func(string) []int { return []int{1, 0} }
	w, _ = Read(src, spec, "memory")
	if err := w.Read("b", make([]float32, 3)); err == nil || !strings.Contains(err.Error(), `"b": a permutation of 2 rows does not divide its 3 values`) {
		t.Errorf("a permutation of the wrong length: %v", err)
	}
}
