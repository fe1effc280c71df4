package gpt2

import (
	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/decoder"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
)

// edited is a Model running with neuron edits: it shares the model's weights and compiled
// graphs (the edited layers are part of a graph's kind, the values its inputs).
type edited struct {
	*Model
	edits []family.Edit
}

// WithEdits returns the model with edits applied in Step and EmbeddingGradients (see
// family.WithEdits, which checks them first).
func (m *Model) WithEdits(edits []family.Edit) (family.Model, error) {
	if err := family.CheckEdits(edits, m.Info()); err != nil {
		return nil, err
	}
	return &edited{Model: m, edits: append([]family.Edit(nil), edits...)}, nil
}

func (e *edited) Step(ids []int, cache *Cache, opts StepOptions) (*StepOutput, error) {
	return e.step(ids, cache, opts, e.edits)
}

// WithEdits of an edited model applies its edits, then the new ones.
func (e *edited) WithEdits(edits []family.Edit) (family.Model, error) {
	return e.Model.WithEdits(append(append([]family.Edit(nil), e.edits...), edits...))
}

// EmbeddingGradients with edits runs every block over every position (the unedited path's
// last-block shortcut, targets.go, has no hook for the edits).
func (e *edited) EmbeddingGradients(embeds []float32, batch int, targets []Target, coef []float32) (probs, grads [][]float32, err error) {
	info := e.Info()
	t, pos32, ids32, err := decoder.CheckGradient(info, embeds, batch, targets, coef)
	if err != nil {
		return nil, nil, err
	}
	pos, err := e.positions(0, t)
	if err != nil {
		return nil, nil, err
	}
	layers := family.EditedLayers(e.edits)
	x, err := e.exec(execKind{name: "grad", edits: decoder.EditKey(e.edits)}, func(nodes []*Node) []*Node { return e.editedGradientGraph(layers, nodes) })
	if err != nil {
		return nil, nil, err
	}
	outs, err := e.run(x, append([]any{
		tensors.FromFlatDataAndDimensions(embeds, batch, t, info.Width),
		tensors.FromFlatDataAndDimensions(pos, t),
		tensors.FromFlatDataAndDimensions(pos32, len(targets)),
		tensors.FromFlatDataAndDimensions(ids32, len(targets)),
		tensors.FromFlatDataAndDimensions(coef, batch),
	}, decoder.EditInputs(e.edits, 0, t, info.Neurons)...)...)
	if err != nil {
		return nil, nil, err
	}
	return decoder.ReadGradients(outs, len(targets))
}

// editedGradientGraph: inputs embeds [B, T, D], positions [T], target positions [k] and ids [k]
// (int32), coef [B], the edits' keep and add [E, T, N]. Outputs as gradientGraph's.
func (m *Model) editedGradientGraph(layers []int, nodes []*Node) []*Node {
	p, in := m.params(nodes)
	embeds, positions, targetPos, targetIDs, coef := in[0], in[1], in[2], in[3], in[4]
	tap := decoder.NewTap(m.Config.NLayer, layers, in[5], in[6], false)
	final, _, _, _ := m.body(p, embeds, positions, nil, tap)
	return decoder.TargetGradients(p[m.lmHead], p[decoder.HeadColumns], final, embeds, targetPos, targetIDs, coef, 0)
}
