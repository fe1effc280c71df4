package decoder

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
)

// HeadColumns keys the LM head laid out [D, V], a copy made at load.
//
// Why: compute v0.1.6 packs a right operand contracted on its last axis with a scalar loop, so
// h·Wᵀ with the head as stored ([V, D]) packs the whole head on every decoding step. Measured
// on DistilGPT2's head per step (n=1, CPU time): h·Wᵀ 25.7 ms, W·hᵀ 34.9 ms, h·W' with W'
// [D, V] 12.8 ms. The copy costs vocab × width floats.
const HeadColumns = "lm_head:columns"

// Transposed returns the transpose of a 2-D weight, computed on backend.
func Transposed(backend compute.Backend, w *tensors.Tensor) (*tensors.Tensor, error) {
	e, err := NewExec(backend, func(w *Node) *Node { return Transpose(w, 0, 1) })
	if err != nil {
		return nil, fmt.Errorf("building a weight transpose: %w", err)
	}
	outs, err := e.Exec(w)
	if err != nil {
		return nil, fmt.Errorf("transposing a %s weight: %w", w.Shape(), err)
	}
	return outs[0], nil
}

// HeadLogits applies the LM head through its [D, V] copy: h [..., D] -> [..., V].
func HeadLogits(columns, h *Node) *Node {
	return DotGeneral(h, []int{h.Rank() - 1}, nil, columns, []int{0}, nil)
}

// HeadSeed applies the LM head to final [B, k, D] (after the final norm) and returns each row's
// target probability F = softmax(logits)[id], [B, k], and ∂F/∂final, [B, k, D], as a constant:
// gradient graphs start their backward passes from it. head is [V, D], columns its [D, V] copy,
// targetIDs [k] (int32).
//
// Why in closed form: ∂F/∂h = F·(W_id − Σ_v p_v W_v). This is one product for all targets and
// rows, where autodiff would run the head's backward once per target.
func HeadSeed(head, columns, final, targetIDs *Node) (probs, seed *Node) {
	b, k, d := final.Shape().Dimensions[0], final.Shape().Dimensions[1], final.Shape().Dimensions[2]
	final = StopGradient(final)
	dist := Softmax(HeadLogits(columns, final), 2) // [B, k, V]
	v := dist.Shape().Dimensions[2]
	isTarget := BroadcastToDims(InsertAxes(oneHot(targetIDs, v), 0), b, k, v)
	probs = ReduceSum(Mul(dist, isTarget), 2)                                                // [B, k]
	expected := DotGeneral(dist, []int{2}, nil, head, []int{0}, nil)                         // [B, k, D]: Σ_v p_v W_v
	rows := BroadcastToDims(InsertAxes(Gather(head, InsertAxes(targetIDs, -1)), 0), b, k, d) // [B, k, D]: W_id
	seed = StopGradient(Mul(InsertAxes(probs, -1), Sub(rows, expected)))
	return probs, seed
}

// NewWeight makes a float32 tensor of shape on backend and lets read decode the values straight
// into it: on a backend with shared buffers (the Go backend) that is the only copy, with none
// after; elsewhere (XLA) the values then move to the device and the host copy is freed.
//
// Why: reading into Go slices first, then copying to the backend, held the weights two or three
// times over; loading DistilGPT2 this way peaks at the weights plus the file's mapped pages, and
// the process running generate 35 + grad×input peaked at 0.78 GB instead of 1.28 GB.
func NewWeight(backend compute.Backend, shape []int, read func(dst []float32) error) (*tensors.Tensor, error) {
	t, err := tensors.FromShapeForBackend(backend, 0, shapes.Make(dtypes.Float32, shape...))
	if err != nil {
		return nil, fmt.Errorf("allocating %v on backend %s: %w", shape, backend, err)
	}
	var readErr error
	if err := tensors.MutableFlatData(t, func(flat []float32) { readErr = read(flat) }); err != nil {
		return nil, fmt.Errorf("writing %v: %w", shape, err)
	}
	if readErr != nil {
		return nil, readErr
	}
	if !t.IsShared() {
		if err := t.MaterializeOnDevice(backend, false, 0); err != nil {
			return nil, fmt.Errorf("moving %v to backend %s: %w", shape, backend, err)
		}
		t.FinalizeLocal()
	}
	return t, nil
}
