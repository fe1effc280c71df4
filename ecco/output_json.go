package ecco

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// outputFields is Output without its methods, so that encoding/json handles every field but
// the activations, which MarshalJSON and UnmarshalJSON write as one object.
type outputFields Output

// ActivationsJSON is the "activations" object of a saved Output.
type ActivationsJSON struct {
	Shape  [3]int        `json:"shape"`  // [layers, neurons, positions]
	Layers []int         `json:"layers"` // the model layer of each first index (Output.ActivationLayers)
	Values [][][]float32 `json:"values"` // [layer][neuron][position] (Output.Activations)
}

// MarshalJSON writes the saved format (see Output's fields).
func (o *Output) MarshalJSON() ([]byte, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	var acts *ActivationsJSON
	if a := o.Activations; len(a) > 0 && len(a[0]) > 0 {
		acts = &ActivationsJSON{Shape: [3]int{len(a), len(a[0]), len(a[0][0])}, Layers: o.ActivationLayers, Values: a}
	}
	return json.Marshal(struct {
		*outputFields
		Activations *ActivationsJSON `json:"activations,omitempty"`
	}{(*outputFields)(o), acts})
}

// UnmarshalJSON reads the saved format of versions 1 and 2.
func (o *Output) UnmarshalJSON(data []byte) error {
	var extra struct {
		Activations      json.RawMessage `json:"activations"`
		ActivationLayers []int           `json:"activation_layers"` // version 1
		LogitLens        json.RawMessage `json:"logit_lens"`
	}
	if err := json.Unmarshal(data, &extra); err != nil {
		return err
	}
	var fields struct {
		*outputFields
		LogitLens json.RawMessage `json:"logit_lens"` // decoded below: its meaning depends on the version
	}
	fields.outputFields = (*outputFields)(o)
	if err := json.Unmarshal(data, &fields); err != nil {
		return err
	}
	if o.Version == 1 {
		return o.readVersion1(extra.Activations, extra.ActivationLayers, extra.LogitLens)
	}
	if len(extra.LogitLens) > 0 && !bytes.Equal(extra.LogitLens, []byte("null")) {
		if err := json.Unmarshal(extra.LogitLens, &o.LogitLens); err != nil {
			return fmt.Errorf("logit_lens: %w", err)
		}
	}
	if len(extra.Activations) > 0 && !bytes.Equal(extra.Activations, []byte("null")) {
		var a ActivationsJSON
		if err := json.Unmarshal(extra.Activations, &a); err != nil {
			return fmt.Errorf("activations: %w", err)
		}
		if len(a.Layers) != len(a.Values) || a.Shape[0] != len(a.Values) {
			return fmt.Errorf("activations: shape %v with %d layers named and %d stored", a.Shape, len(a.Layers), len(a.Values))
		}
		for _, neurons := range a.Values {
			if len(neurons) != a.Shape[1] {
				return fmt.Errorf("activations: a layer has %d neurons, shape says %d", len(neurons), a.Shape[1])
			}
			for _, row := range neurons {
				if len(row) != a.Shape[2] {
					return fmt.Errorf("activations: a neuron has %d positions, shape says %d", len(row), a.Shape[2])
				}
			}
		}
		o.ActivationLayers, o.Activations = a.Layers, a.Values
	}
	return nil
}

// readVersion1 reads the fields version 1 stored differently: the activations as a bare
// [layer][neuron][position] array beside "activation_layers", and the per-token lens cache
// under "logit_lens".
func (o *Output) readVersion1(acts json.RawMessage, layers []int, lens json.RawMessage) error {
	if len(acts) > 0 {
		if err := json.Unmarshal(acts, &o.Activations); err != nil {
			return fmt.Errorf("activations (version 1): %w", err)
		}
	}
	o.ActivationLayers = layers
	if len(lens) > 0 {
		if err := json.Unmarshal(lens, &o.Lens); err != nil {
			return fmt.Errorf("logit_lens (version 1): %w", err)
		}
	}
	o.Schema, o.Version = OutputSchema, OutputVersion
	return nil
}
