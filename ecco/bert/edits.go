package bert

import (
	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/decoder"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
)

// edited is an encoder running with edits (neuron edits at the FFN capture point, or
// family.ZeroValues): it shares the model's weights and compiled graphs.
type edited struct {
	*Model
	edits []family.Edit
}

// WithEdits returns the encoder with edits applied in Forward, EmbeddingGradients and
// ValueZeroing, after checking them against its shape.
func (m *Model) WithEdits(edits []family.Edit) (family.Encoder, error) {
	if err := family.CheckEdits(edits, m.Info()); err != nil {
		return nil, m.errorf("%w", err)
	}
	return &edited{Model: m, edits: append([]family.Edit(nil), edits...)}, nil
}

func (e *edited) Forward(ids []int, opts family.StepOptions) (*family.StepOutput, error) {
	return e.forwardEdited(ids, opts, e.edits)
}

func (e *edited) EmbeddingGradients(embeds []float32, batch int, targets []family.Target, coef []float32) (probs, grads [][]float32, err error) {
	return e.embeddingGradients(embeds, batch, targets, coef, e.edits)
}

func (e *edited) ValueZeroing(ids []int) ([][][]float32, error) { return e.valueZeroing(ids, e.edits) }

// ValueZeroing measures value zeroing on the text ids (see family.ValueZeroer): one forward
// pass, then every layer rerun on its own input for a batch of zeroed tokens at once.
func (m *Model) ValueZeroing(ids []int) ([][][]float32, error) { return m.valueZeroing(ids, nil) }

func (m *Model) valueZeroing(ids []int, edits []family.Edit) ([][][]float32, error) {
	ids32, err := m.checkIDs(ids)
	if err != nil {
		return nil, err
	}
	t := len(ids)
	build := func(nodes []*Node) []*Node {
		p, in := m.params(nodes)
		tap, _ := decoder.EditTap(m.cfg.Layers, edits, in[2:], false)
		r := m.forward(p, m.embed(p, in[0]), tap)
		zeroed := in[1]
		b := zeroed.Shape().Dimensions[0]
		rerun := tap.WithRows(OneMinus(OneHot(zeroed, t, r.hidden[0].DType()))) // values kept: [B, T]
		dists := make([]*Node, m.cfg.Layers)
		for l := range dists {
			out, _ := m.layer(p, l, BroadcastToDims(r.hidden[l], b, t, m.cfg.Width), rerun)
			dists[l] = decoder.CosineDistances(r.hidden[l+1], out)
		}
		return []*Node{Stack(dists, 0)}
	}
	return decoder.ZeroingPasses(m.cfg.Layers, t, false, func(zeroed []int32, _ int) ([]float32, error) {
		outs, err := m.run("valuezero"+decoder.EditKey(edits), build, append([]any{
			tensors.FromFlatDataAndDimensions(ids32, 1, t),
			tensors.FromFlatDataAndDimensions(zeroed, len(zeroed)),
		}, decoder.EditInputs(edits, 0, t, m.cfg.Inner)...)...)
		if err != nil {
			return nil, err
		}
		return outs[0], nil
	})
}
