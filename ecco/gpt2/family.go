package gpt2

import (
	"github.com/ecco-go/ecco/ecco/family"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
)

// The types Model shares with every family (see package family).
type (
	Cache       = family.Cache
	StepOptions = family.StepOptions
	StepOutput  = family.StepOutput
	Target      = family.Target
)

var _ family.Model = (*Model)(nil)

// Info describes the model for package ecco.
func (m *Model) Info() family.Info {
	c := m.Config
	return family.Info{
		ModelType: c.ModelType, Layers: c.NLayer, Width: c.NEmbd, Heads: c.NHead, KVHeads: c.NHead,
		Neurons: c.NInner, Vocab: c.VocabSize, Positions: c.NPositions, EOS: []int{c.EOSTokenID},
		Capture: "mlp.c_proj", FinalNorm: "ln_f",
	}
}

// Activation returns the graph code of a HuggingFace `activation_function` name, for the
// families that share GPT-2's activations (GPT-Neo).
func Activation(name string) (func(*Node) *Node, bool) {
	f, ok := activations[name]
	return f, ok
}
