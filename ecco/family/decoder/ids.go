package decoder

import (
	"fmt"

	"github.com/gomlx/gomlx/core/tensors"
)

// TokenIDs converts token ids to the int32 graphs take, checking each against the vocabulary;
// family prefixes the error ("llama", "bert").
func TokenIDs(family string, ids []int, vocab int) ([]int32, error) {
	out := make([]int32, len(ids))
	for i, id := range ids {
		if id < 0 || id >= vocab {
			return nil, fmt.Errorf("%s: token id %d at index %d is outside the vocabulary [0, %d)", family, id, i, vocab)
		}
		out[i] = int32(id)
	}
	return out, nil
}

// Rows cuts a flat row-major [n, rest...] buffer into n rows of size len/n.
func Rows(flat []float32, n int) [][]float32 {
	rows := make([][]float32, n)
	size := len(flat) / n
	for i := range rows {
		rows[i] = flat[i*size : (i+1)*size : (i+1)*size]
	}
	return rows
}

// Positions returns from, from+1, ..., from+n-1 after checking they fit the model's limit
// positions; family prefixes the error.
func Positions(family string, from, n, limit int) ([]int32, error) {
	if n == 0 {
		return nil, fmt.Errorf("%s: no tokens to run: give at least one token", family)
	}
	if from+n > limit {
		return nil, fmt.Errorf("%s: %d tokens exceed the model's context of %d positions", family, from+n, limit)
	}
	pos := make([]int32, n)
	for i := range pos {
		pos[i] = int32(from + i)
	}
	return pos, nil
}

// LayerRows reads a [layers, 1, T, W] tensor as [layers][T][W].
func LayerRows(t *tensors.Tensor, layers, positions int) ([][][]float32, error) {
	flat, err := tensors.CopyFlatData[float32](t)
	if err != nil {
		return nil, fmt.Errorf("reading captured states: %w", err)
	}
	out := make([][][]float32, layers)
	for i, layer := range Rows(flat, layers) {
		out[i] = Rows(layer, positions)
	}
	return out, nil
}
