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

// StacksJSON is the "activations" object of an encoder–decoder's saved Output: Ecco's
// activations['encoder'] and ['decoder'].
type StacksJSON struct {
	Encoder *ActivationsJSON `json:"encoder,omitempty"`
	Decoder *ActivationsJSON `json:"decoder,omitempty"`
}

// activationsJSON is the saved object of one stack's activations, or nil when there are none.
func activationsJSON(layers []int, a [][][]float32) *ActivationsJSON {
	if len(a) == 0 || len(a[0]) == 0 {
		return nil
	}
	return &ActivationsJSON{Shape: [3]int{len(a), len(a[0]), len(a[0][0])}, Layers: layers, Values: a}
}

// activationsOut is ActivationsJSON as MarshalJSON writes it: the values through floatCube.
type activationsOut ActivationsJSON

// writeJSON writes a as ActivationsJSON's JSON.
func (a *activationsOut) writeJSON(w *sticky) error {
	shape, err := json.Marshal(a.Shape)
	if err != nil {
		return err
	}
	layers, err := json.Marshal(a.Layers)
	if err != nil {
		return err
	}
	w.string(`{"shape":`)
	w.bytes(shape)
	w.string(`,"layers":`)
	w.bytes(layers)
	w.string(`,"values":`)
	if err := floatCube(a.Values).writeJSON(w); err != nil {
		return fmt.Errorf("values: %w", err)
	}
	return w.string("}")
}

// stacksOut is StacksJSON as MarshalJSON writes it.
type stacksOut StacksJSON

// writeJSON writes s as StacksJSON's JSON.
func (s *stacksOut) writeJSON(w *sticky) error {
	var stacks []member
	if s.Encoder != nil {
		stacks = append(stacks, member{"encoder", (*activationsOut)(s.Encoder)})
	}
	if s.Decoder != nil {
		stacks = append(stacks, member{"decoder", (*activationsOut)(s.Decoder)})
	}
	w.string("{")
	if err := writeMembers(w, "", stacks); err != nil {
		return err
	}
	return w.string("}")
}

// jsonWriter writes its JSON.
type jsonWriter interface {
	writeJSON(w *sticky) error
}

// member is a named value of a JSON object.
type member struct {
	name  string
	value jsonWriter
}

// writeMembers writes each member as "name":value, separated by commas, the first preceded by
// comma ("" at an object's start).
func writeMembers(w *sticky, comma string, members []member) error {
	for _, m := range members {
		w.string(comma + `"` + m.name + `":`)
		comma = ","
		if err := m.value.writeJSON(w); err != nil {
			return fmt.Errorf("%s: %w", m.name, err)
		}
	}
	return w.err
}

// MarshalJSON writes the saved format (see Output's fields).
func (o *Output) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	err := o.writeJSON(&sticky{w: &buf})
	return buf.Bytes(), err
}

// writeJSON writes what MarshalJSON returns. The hidden states and activations go last and are
// written by floatCube as they are formatted, outside encoding/json, which would copy and check
// every byte of a Marshaler's output again (BENCHMARKS.md, "Writing the numbers").
func (o *Output) writeJSON(w *sticky) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	var large []member
	if len(o.Hidden) > 0 { // omitted when empty, as encoding/json's omitempty did
		large = append(large, member{"hidden_states", floatCube(o.Hidden)})
	}
	if dec := activationsJSON(o.ActivationLayers, o.Activations); o.EncoderDecoder {
		if enc := activationsJSON(o.EncoderActivationLayers, o.EncoderActivations); enc != nil || dec != nil {
			large = append(large, member{"activations", &stacksOut{Encoder: enc, Decoder: dec}})
		}
	} else if dec != nil {
		large = append(large, member{"activations", (*activationsOut)(dec)})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // tokens such as "<|endoftext|>" stay readable
	if err := enc.Encode(struct {
		*outputFields
		Hidden []int `json:"hidden_states,omitempty"` // nil: written below
	}{outputFields: (*outputFields)(o)}); err != nil {
		return err
	}
	head := bytes.TrimSuffix(bytes.TrimSuffix(buf.Bytes(), []byte("\n")), []byte("}"))
	w.bytes(head)
	comma := ","
	if bytes.HasSuffix(head, []byte("{")) {
		comma = ""
	}
	if err := writeMembers(w, comma, large); err != nil {
		return err
	}
	return w.string("}")
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
	if present(extra.LogitLens) {
		if err := json.Unmarshal(extra.LogitLens, &o.LogitLens); err != nil {
			return fmt.Errorf("logit_lens: %w", err)
		}
	}
	if !present(extra.Activations) {
		return nil
	}
	if !o.EncoderDecoder {
		var err error
		o.ActivationLayers, o.Activations, err = readActivations("activations", extra.Activations)
		return err
	}
	var stacks struct{ Encoder, Decoder json.RawMessage }
	if err := json.Unmarshal(extra.Activations, &stacks); err != nil {
		return fmt.Errorf("activations: want {\"encoder\": ..., \"decoder\": ...} for an encoder-decoder: %w", err)
	}
	var err error
	if present(stacks.Encoder) {
		if o.EncoderActivationLayers, o.EncoderActivations, err = readActivations("activations.encoder", stacks.Encoder); err != nil {
			return err
		}
	}
	if present(stacks.Decoder) {
		o.ActivationLayers, o.Activations, err = readActivations("activations.decoder", stacks.Decoder)
	}
	return err
}

// present reports whether a JSON field was given and not null.
func present(raw json.RawMessage) bool { return len(raw) > 0 && !bytes.Equal(raw, []byte("null")) }

// readActivations decodes one {shape, layers, values} object (name says which, for errors) and
// checks the values against the shape.
func readActivations(name string, raw json.RawMessage) ([]int, [][][]float32, error) {
	var a ActivationsJSON
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(a.Layers) != len(a.Values) || a.Shape[0] != len(a.Values) {
		return nil, nil, fmt.Errorf("%s: shape %v with %d layers named and %d stored", name, a.Shape, len(a.Layers), len(a.Values))
	}
	for _, neurons := range a.Values {
		if len(neurons) != a.Shape[1] {
			return nil, nil, fmt.Errorf("%s: a layer has %d neurons, shape says %d", name, len(neurons), a.Shape[1])
		}
		for _, row := range neurons {
			if len(row) != a.Shape[2] {
				return nil, nil, fmt.Errorf("%s: a neuron has %d positions, shape says %d", name, len(row), a.Shape[2])
			}
		}
	}
	return a.Layers, a.Values, nil
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
