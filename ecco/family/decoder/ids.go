package decoder

import "fmt"

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
