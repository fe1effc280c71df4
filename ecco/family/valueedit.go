package family

import (
	"fmt"
	"slices"
)

// ZeroValues is the edit that zeroes the attention value vectors of the tokens at Positions
// (every position when empty) in every head of Layer, while their keys, and every other
// position's value, stay: what value zeroing (Mohebbi et al. 2023) measures. It takes no
// neurons and no value. With a KV cache, a position's value is zeroed when it is computed and
// stays zero for later queries.
const ZeroValues EditMode = "zero_values"

// checkValueEdit says what in a ZeroValues edit does not fit info, if anything.
func checkValueEdit(e Edit, info Info) error {
	if e.Layer < 0 || e.Layer >= info.Layers {
		return fmt.Errorf("layer %d is out of range: the model has layers 0..%d", e.Layer, info.Layers-1)
	}
	if len(e.Neurons) > 0 || e.Value != 0 {
		return fmt.Errorf("%s takes positions only, not neurons or a value", ZeroValues)
	}
	for _, p := range e.Positions {
		if p < 0 || p >= info.Positions {
			return fmt.Errorf("position %d is out of range: the model has positions 0..%d", p, info.Positions-1)
		}
	}
	return nil
}

// ValueLayers are the distinct layers whose attention values edits zero, ascending.
func ValueLayers(edits []Edit) []int {
	var layers []int
	for _, e := range edits {
		if e.Mode == ZeroValues {
			layers = append(layers, e.Layer)
		}
	}
	slices.Sort(layers)
	return slices.Compact(layers)
}

// ValueMasks turns the ZeroValues edits into a factor per value row of the layers given
// (ValueLayers) at positions from..from+t-1: flat [len(layers), t], 0 where the value is zeroed
// and 1 elsewhere.
func ValueMasks(edits []Edit, layers []int, from, t int) []float32 {
	keep := make([]float32, len(layers)*t)
	for i := range keep {
		keep[i] = 1
	}
	for _, e := range edits {
		if e.Mode != ZeroValues {
			continue
		}
		base := slices.Index(layers, e.Layer) * t
		for r := range t {
			if len(e.Positions) == 0 || slices.Contains(e.Positions, from+r) {
				keep[base+r] = 0
			}
		}
	}
	return keep
}

// ValueZeroer is a model (causal or encoder) that measures value zeroing itself, in batched
// passes: see ValueZeroing in package ecco.
type ValueZeroer interface {
	// ValueZeroing runs ids once and, for every layer l and every pair of positions (i, j),
	// returns the cosine distance between row i of hidden_states[l+1] and the same row when
	// layer l runs on the same input with token j's value vectors zeroed (ZeroValues): [L][i][j].
	ValueZeroing(ids []int) ([][][]float32, error)
}
