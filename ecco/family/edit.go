package family

import (
	"fmt"
	"slices"
)

// EditMode is what an Edit does to its neurons.
type EditMode string

// The edits a neuron can take, at the FFN capture point (Info.Capture's input).
const (
	Ablate EditMode = "ablate" // set to 0
	Add    EditMode = "add"    // add Value
	Set    EditMode = "set"    // set to Value
)

// Edit changes FFN neurons of one layer: the neurons the activations and NMF views show (the
// input of Info.Capture, after the activation), so the edited value is what the block's output
// projection reads and what capture returns. Edits apply in list order.
type Edit struct {
	Layer     int      `json:"layer"`
	Neurons   []int    `json:"neurons"`
	Mode      EditMode `json:"mode"`
	Value     float32  `json:"value,omitempty"`     // for Add and Set
	Positions []int    `json:"positions,omitempty"` // absolute token positions; empty: every position
}

// Editor is a Model that can run with neuron edits: WithEdits returns the same network (sharing
// weights and compiled graphs) whose Step and EmbeddingGradients apply edits.
type Editor interface {
	WithEdits(edits []Edit) (Model, error)
}

// WithEdits returns m running with edits (m itself when there are none), after checking them
// against m's shape.
func WithEdits(m Model, edits []Edit) (Model, error) {
	if len(edits) == 0 {
		return m, nil
	}
	if err := CheckEdits(edits, m.Info()); err != nil {
		return nil, err
	}
	e, ok := m.(Editor)
	if !ok {
		return nil, fmt.Errorf("neuron edits: the %s family does not support them", m.Info().ModelType)
	}
	return e.WithEdits(edits)
}

// CheckEdits names the first edit whose layer, neurons, mode or positions do not fit info.
func CheckEdits(edits []Edit, info Info) error {
	for i, e := range edits {
		if err := CheckEdit(e, info); err != nil {
			return fmt.Errorf("neuron edit %d (%s layer %d): %w", i+1, e.Mode, e.Layer, err)
		}
	}
	return nil
}

// CheckEdit says what in e does not fit info, if anything.
func CheckEdit(e Edit, info Info) error {
	switch e.Mode {
	case Ablate, Add, Set:
	case ZeroValues:
		return checkValueEdit(e, info)
	default:
		return fmt.Errorf("unknown mode %q, want ablate, add, set or %s", e.Mode, ZeroValues)
	}
	if e.Layer < 0 || e.Layer >= info.Layers {
		return fmt.Errorf("layer %d is out of range: the model has layers 0..%d", e.Layer, info.Layers-1)
	}
	if len(e.Neurons) == 0 {
		return fmt.Errorf("no neurons given")
	}
	for _, n := range e.Neurons {
		if n < 0 || n >= info.Neurons {
			return fmt.Errorf("neuron %d is out of range: layer %d has neurons 0..%d", n, e.Layer, info.Neurons-1)
		}
	}
	for _, p := range e.Positions {
		if p < 0 || p >= info.Positions {
			return fmt.Errorf("position %d is out of range: the model has positions 0..%d", p, info.Positions-1)
		}
	}
	return nil
}

// EditedLayers are the distinct layers whose FFN neurons edits touch, ascending (ValueLayers
// lists those whose attention values they zero).
func EditedLayers(edits []Edit) []int {
	var layers []int
	for _, e := range edits {
		if e.Mode != ZeroValues {
			layers = append(layers, e.Layer)
		}
	}
	slices.Sort(layers)
	return slices.Compact(layers)
}

// EditMasks turns edits into the affine map n' = n·keep + add that they make of the FFN neurons
// of the layers given (EditedLayers), at positions from..from+t-1: keep and add are flat
// [len(layers), t, neurons]. Edits compose in order: a later one acts on the earlier's result.
func EditMasks(edits []Edit, layers []int, from, t, neurons int) (keep, add []float32) {
	keep, add = make([]float32, len(layers)*t*neurons), make([]float32, len(layers)*t*neurons)
	for i := range keep {
		keep[i] = 1
	}
	for _, e := range edits {
		if e.Mode == ZeroValues {
			continue
		}
		base := slices.Index(layers, e.Layer) * t * neurons
		for r := range t {
			if len(e.Positions) > 0 && !slices.Contains(e.Positions, from+r) {
				continue
			}
			for _, n := range e.Neurons {
				j := base + r*neurons + n
				switch e.Mode {
				case Ablate:
					keep[j], add[j] = 0, 0
				case Set:
					keep[j], add[j] = 0, e.Value
				case Add:
					add[j] += e.Value
				}
			}
		}
	}
	return keep, add
}
