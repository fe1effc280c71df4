package ecco

import (
	"fmt"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// ActivationMatrix returns the captured FFN activations as one (layers·neurons) × positions
// matrix, row = captured-layer index · N + neuron (Ecco's layout before NMF).
func (o *Output) ActivationMatrix() (*mat.Dense, error) {
	return o.activationRows(o.ActivationLayers)
}

// LayerActivations returns one layer's FFN activations as neurons × positions.
func (o *Output) LayerActivations(layer int) (*mat.Dense, error) {
	return o.activationRows([]int{layer})
}

// HiddenStates returns hidden_states[layer] (0 = embeddings, L = after ln_f) as D × positions,
// the orientation the analysis package's scores take.
func (o *Output) HiddenStates(layer int) (*mat.Dense, error) {
	if layer < 0 || layer >= len(o.Hidden) {
		return nil, fmt.Errorf("ecco: hidden state %d: this Output holds %d (0..%d)", layer, len(o.Hidden), len(o.Hidden)-1)
	}
	rows := o.Hidden[layer]
	m := mat.NewDense(len(rows[0]), len(rows), nil)
	for p, row := range rows {
		for d, v := range row {
			m.Set(d, p, float64(v))
		}
	}
	return m, nil
}

// activationRows stacks the given model layers' activations.
func (o *Output) activationRows(layers []int) (*mat.Dense, error) {
	return layerRows(o.ActivationLayers, o.Activations, layers)
}

// layerRows stacks the given model layers of acts, whose layers are captured.
func layerRows(captured []int, acts [][][]float32, layers []int) (*mat.Dense, error) {
	if len(acts) == 0 {
		return nil, fmt.Errorf("ecco: this Output has no activations: load the model with ecco.WithActivations()")
	}
	var idx []int
	for _, l := range layers {
		i := slices.Index(captured, l)
		if i < 0 {
			return nil, fmt.Errorf("ecco: layer %d was not captured: captured layers are %v", l, captured)
		}
		idx = append(idx, i)
	}
	neurons, positions := len(acts[0]), len(acts[0][0])
	m := mat.NewDense(len(idx)*neurons, positions, nil)
	for k, i := range idx {
		for n, row := range acts[i] {
			for p, v := range row {
				m.Set(k*neurons+n, p, float64(v))
			}
		}
	}
	return m, nil
}
