package decoder

import "github.com/ecco-go/ecco/ecco/family"

// edited is a Model running with neuron edits: it shares the model's weights and compiled
// graphs (the edited layers are part of a graph's kind, the values its inputs).
type edited struct {
	*Model
	edits []family.Edit
}

// WithEdits returns the model with edits applied in Step and EmbeddingGradients (see
// family.WithEdits, which checks them first).
func (m *Model) WithEdits(edits []family.Edit) (family.Model, error) {
	if err := family.CheckEdits(edits, m.info); err != nil {
		return nil, err
	}
	return &edited{Model: m, edits: append([]family.Edit(nil), edits...)}, nil
}

func (e *edited) Step(ids []int, cache *family.Cache, opts family.StepOptions) (*family.StepOutput, error) {
	return e.step(ids, cache, opts, e.edits)
}

func (e *edited) EmbeddingGradients(embeds []float32, batch int, targets []family.Target, coef []float32) (probs, grads [][]float32, err error) {
	// The written backward pass knows neuron edits only: value zeroing goes through autodiff.
	autodiff := !e.arch.differentiable() || len(family.ValueLayers(e.edits)) > 0
	return e.embeddingGradients(embeds, batch, targets, coef, e.edits, autodiff)
}

// WithEdits of an edited model applies its edits, then the new ones.
func (e *edited) WithEdits(edits []family.Edit) (family.Model, error) {
	return e.Model.WithEdits(append(append([]family.Edit(nil), e.edits...), edits...))
}
