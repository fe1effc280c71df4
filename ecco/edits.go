package ecco

import (
	"fmt"
	"slices"

	"github.com/ecco-go/ecco/ecco/family"
)

// Edit changes FFN neurons of one layer at the capture point the activations and NMF views show
// (the input of the block's output projection): ablate (set to 0), add a value or set one, at
// every position or at chosen absolute positions. Edits apply in order.
type Edit = family.Edit

// EditMode is what an Edit does: Ablate, Add or Set.
type EditMode = family.EditMode

// The edit modes. ZeroValues zeroes the attention value vectors of the tokens at Positions
// (every head of Layer; no neurons): what value zeroing measures (ValueZeroing).
const (
	Ablate     = family.Ablate
	Add        = family.Add
	Set        = family.Set
	ZeroValues = family.ZeroValues
)

// WithEdits returns an LM that runs the same network with edits applied: its Forward, Generate
// and Attribute (and the attributions and logit lens of its Outputs) see the edited neurons; an
// encoder's ForwardEncoder and AttributeMask see them too. It
// shares the weights and compiled graphs with lm; edits on an edited LM come after its own.
// A layer or neuron out of range is an error naming the edit.
func (lm *LM) WithEdits(edits ...Edit) (*LM, error) {
	edited := *lm
	if lm.encoder != nil {
		enc, err := family.WithEncoderEdits(lm.encoder, edits)
		if err != nil {
			return nil, fmt.Errorf("ecco: %w", err)
		}
		edited.encoder = enc
	} else {
		model, err := lm.causal()
		if err != nil {
			return nil, err
		}
		if edited.Model, err = family.WithEdits(model, edits); err != nil {
			return nil, fmt.Errorf("ecco: %w", err)
		}
	}
	edited.edits = append(slices.Clone(lm.edits), edits...)
	return &edited, nil
}

// Edits are the neuron edits this LM runs with (nil: none).
func (lm *LM) Edits() []Edit { return slices.Clone(lm.edits) }

// AblateNeurons is the edit list that sets the given neurons to 0 at every position, one Edit
// per layer in the order layers first appear (NeuronFactors.TopNeurons feeds it directly).
func AblateNeurons(neurons []NeuronWeight) []Edit {
	var edits []Edit
	for _, n := range neurons {
		i := slices.IndexFunc(edits, func(e Edit) bool { return e.Layer == n.Layer })
		if i < 0 {
			edits = append(edits, Edit{Layer: n.Layer, Mode: Ablate})
			i = len(edits) - 1
		}
		edits[i].Neurons = append(edits[i].Neurons, n.Neuron)
	}
	return edits
}

// AblateFactor is the edit list that ablates the n neurons with the largest loading on factor
// ("ablate factor 3's top 10 neurons").
func (f *NeuronFactors) AblateFactor(factor, n int) ([]Edit, error) {
	top, err := f.TopNeurons(factor, n)
	if err != nil {
		return nil, err
	}
	return AblateNeurons(top), nil
}
