package decoder

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
)

// HeadColumns keys the LM head laid out [D, V], a copy made at load for models up to copyLimit
// on a backend where the head has no row blocks (RowBlock; on the Go backend it has them).
//
// Why: compute v0.1.6 packs a right operand contracted on its last axis with a scalar loop, so
// h·Wᵀ with the head as stored ([V, D]) packs the whole head on every decoding step. Measured
// on DistilGPT2's head per step (n=1, CPU time): h·Wᵀ 25.7 ms, W·hᵀ 34.9 ms, h·W' with W'
// [D, V] 12.8 ms. The copy costs vocab × width floats. Why not with row blocks: decoding then
// reads the head by blocks, and the few rows of a prompt or of attribution targets take
// (W·hᵀ)ᵀ, as fast (SmolLM-135M's generate 35 + grad×input: 116 MB less, no slower;
// BENCHMARKS.md, "The LM head without its copy").
const HeadColumns = "lm_head:columns"

// Transposed returns the transpose of a 2-D float32 weight as a new weight on backend.
//
// Why on the host: the Go backend's Transpose is generic (element by element); for DistilGPT2's
// head it took 0.19 s of a 0.33 s load. This blocked transpose, split over the cores and written
// straight into the new weight's buffer, brought the load to 0.21 s (BenchmarkDistilGPT2Load in
// package ecco, 5 runs each way, back to back; BenchmarkTransposed here: 0.14 s, most of it
// first-touch page faults of the new 154 MB buffer).
func Transposed(backend compute.Backend, w *tensors.Tensor) (*tensors.Tensor, error) {
	dims := w.Shape().Dimensions
	if len(dims) != 2 || w.DType() != dtypes.Float32 {
		return nil, fmt.Errorf("transposing a %s weight: want a 2-D float32 matrix", w.Shape())
	}
	rows, cols := dims[0], dims[1]
	var out *tensors.Tensor
	var err error
	readErr := w.ConstFlatData(func(flat any) {
		src := flat.([]float32)
		out, err = NewWeight(backend, []int{cols, rows}, func(dst []float32) error {
			transposeBlocked(dst, src, rows, cols)
			return nil
		})
	})
	if readErr != nil {
		return nil, fmt.Errorf("transposing a %s weight: %w", w.Shape(), readErr)
	}
	return out, err
}

// transposeBlocked writes the [cols, rows] transpose of src [rows, cols] into dst, in 32×32
// tiles (both sides stay in cache), with the tile rows shared among GOMAXPROCS goroutines.
func transposeBlocked(dst, src []float32, rows, cols int) {
	const tile = 32
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for r0 := w * tile; r0 < rows; r0 += workers * tile {
				r1 := min(r0+tile, rows)
				for c0 := 0; c0 < cols; c0 += tile {
					c1 := min(c0+tile, cols)
					for r := r0; r < r1; r++ {
						row := src[r*cols : (r+1)*cols]
						for c := c0; c < c1; c++ {
							dst[c*rows+r] = row[c]
						}
					}
				}
			}
		})
	}
	wg.Wait()
}

// HeadLogits applies the LM head through its [D, V] copy: h [..., D] -> [..., V].
func HeadLogits(columns, h *Node) *Node {
	return DotGeneral(h, []int{h.Rank() - 1}, nil, columns, []int{0}, nil)
}

// headLogits applies the LM head [V, D] through its [D, V] copy columns when the model holds
// one (nil: none, see copyLimit): h [..., D] -> [..., V].
func headLogits(head, columns, h *Node) *Node {
	if columns != nil {
		return HeadLogits(columns, h)
	}
	return storedMatMul(head, h)
}

// copyLimit is the size of weights (bytes, float32) above which a model holds no [D, V] copy of
// its head: the copy is a speed-up per decoding step, and memory matters more for larger models.
const copyLimit = 1 << 30

// HeadSeed applies the LM head to final [B, k, D] (after the final norm) and returns each row's
// target probability F = softmax(logits)[id], [B, k], and ∂F/∂final, [B, k, D], as a constant:
// gradient graphs start their backward passes from it. head is [V, D], columns its [D, V] copy,
// targetIDs [k] (int32); columns nil when the model holds no copy.
//
// Why in closed form: ∂F/∂h = F·(W_id − Σ_v p_v W_v). This is one product for all targets and
// rows, where autodiff would run the head's backward once per target.
func HeadSeed(head, columns, final, targetIDs *Node) (probs, seed *Node) {
	return CappedHeadSeed(head, columns, final, targetIDs, 0)
}

// CappedHeadSeed is HeadSeed for logits soft-capped as c·tanh(z/c) (c = softCap > 0; 0: none).
// With s_v = 1 − tanh²(z_v/c), the capped logit's slope, ∂F/∂h = F·(s_id·W_id − Σ_v p_v·s_v·W_v).
func CappedHeadSeed(head, columns, final, targetIDs *Node, softCap float64) (probs, seed *Node) {
	b, k, d := final.Shape().Dimensions[0], final.Shape().Dimensions[1], final.Shape().Dimensions[2]
	final = StopGradient(final)
	logits := headLogits(head, columns, final) // [B, k, V]
	var slope *Node                            // [B, k, V]: ∂capped/∂logits, nil when uncapped
	if softCap > 0 {
		th := Tanh(MulScalar(logits, 1/softCap))
		logits, slope = MulScalar(th, softCap), OneMinus(Mul(th, th))
	}
	dist := Softmax(logits, 2)
	v := dist.Shape().Dimensions[2]
	isTarget := BroadcastToDims(InsertAxes(OneHot(targetIDs, v, final.DType()), 0), b, k, v)
	probs = ReduceSum(Mul(dist, isTarget), 2) // [B, k]
	weights := dist
	if slope != nil {
		weights = Mul(dist, slope)
	}
	expected := DotGeneral(weights, []int{2}, nil, head, []int{0}, nil)                      // [B, k, D]: Σ_v p_v s_v W_v
	rows := BroadcastToDims(InsertAxes(Gather(head, InsertAxes(targetIDs, -1)), 0), b, k, d) // [B, k, D]: W_id
	if slope != nil {
		rows = Mul(rows, InsertAxes(ReduceSum(Mul(slope, isTarget), 2), -1)) // s_id·W_id
	}
	seed = StopGradient(Mul(InsertAxes(probs, -1), Sub(rows, expected)))
	return probs, seed
}

// NewWeight makes a float32 tensor of shape on backend and lets read decode the values straight
// into it: on a backend with shared buffers (the Go backend) that is the only copy, with none
// after; elsewhere (XLA) the values then move to the device and the host copy is freed.
//
// Why: reading into Go slices first, then copying to the backend, held the weights two or three
// times over; loading DistilGPT2 this way peaks at the weights plus the file's mapped pages, and
// the process running generate 35 + grad×input peaked at 0.78 GB instead of 1.28 GB. The shared
// buffer is taken from the backend directly, not through tensors.FromShapeForBackend, which
// zeroes it first: that pass was 0.36 s of a 0.5 s first load (CPU profile of a fresh process).
func NewWeight(backend compute.Backend, shape []int, read func(dst []float32) error) (*tensors.Tensor, error) {
	s := shapes.Make(dtypes.Float32, shape...)
	if backend.HasSharedBuffers() {
		buffer, flat, err := newExactBuffer(backend, s)
		if err != nil {
			return nil, fmt.Errorf("allocating %v on backend %s: %w", shape, backend, err)
		}
		if err := read(flat); err != nil {
			return nil, err
		}
		return tensors.FromBuffer(buffer)
	}
	t := tensors.FromShape(s)
	var readErr error
	if err := tensors.MutableFlatData(t, func(flat []float32) { readErr = read(flat) }); err != nil {
		return nil, fmt.Errorf("writing %v: %w", shape, err)
	}
	if readErr != nil {
		return nil, readErr
	}
	if err := t.MaterializeOnDevice(backend, false, 0); err != nil {
		return nil, fmt.Errorf("moving %v to backend %s: %w", shape, backend, err)
	}
	t.FinalizeLocal()
	return t, nil
}
