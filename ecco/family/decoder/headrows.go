package decoder

import (
	"fmt"
	"reflect"
	"unsafe"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
)

// HeadRows prefixes the keys of the LM head's row blocks ("lm_head:rows:0", ...): views of
// consecutive rows of the head [V, D] as it is held, sharing its storage (no copy).
//
// Why: a decoding step multiplies one row by the whole head. compute v0.1.6 sends a product of
// 4 Mi multiply-adds or more to its large kernel, which first packs the right operand: the
// whole head, on every step (SmolLM-135M: 116 MB, 0.76 s of a 35-token decode, CPU profile of
// BenchmarkDecode35). Blocks under that size take its small kernel, which reads each row once.
// BENCHMARKS.md, "The LM head by blocks when decoding".
const HeadRows = "lm_head:rows:"

// smallProduct is compute v0.1.6's bound (multiply-adds) under which a product takes its small
// kernel (noSIMDSmallMatMulSizeThreshold).
const smallProduct = 4 << 20

// headBlockRows is the rows of a head block for width d: the most, a multiple of 16, whose
// product with one row stays under smallProduct.
func headBlockRows(d int) int { return max(16, (smallProduct-1)/d/16*16) }

// headRowViews returns views of head [V, D] by blocks of headBlockRows(D) rows; ok is false on
// a backend whose buffers are not the Go backend's (see exactStorage), where there are none.
// The views hold no reference to head: whoever holds them must hold head too.
func headRowViews(backend compute.Backend, head *tensors.Tensor) (views []*tensors.Tensor, ok bool, err error) {
	dims := head.Shape().Dimensions
	if len(dims) != 2 || head.DType() != dtypes.Float32 || !backend.HasSharedBuffers() {
		return nil, false, nil
	}
	buf, err := head.Buffer(backend, 0)
	if err != nil {
		return nil, false, fmt.Errorf("the LM head's buffer: %w", err)
	}
	all, ok := bufferFloats(buf)
	if !ok || len(all) != dims[0]*dims[1] {
		return nil, false, nil
	}
	v, d, block := dims[0], dims[1], headBlockRows(dims[1])
	for from := 0; from < v; from += block {
		to := min(from+block, v)
		view, _, err := backend.NewSharedBuffer(0, shapes.Make(dtypes.Float32, to-from, d))
		if err != nil {
			return nil, false, fmt.Errorf("a view of the LM head's rows %d–%d: %w", from, to, err)
		}
		if !setStorage(view, all[from*d:to*d]) {
			return nil, false, nil
		}
		t, err := tensors.FromBuffer(view)
		if err != nil {
			return nil, false, fmt.Errorf("a view of the LM head's rows %d–%d: %w", from, to, err)
		}
		views = append(views, t)
	}
	return views, true, nil
}

// blockLogits applies the head by its row blocks (HeadRows, blocks of them) to h [K, D]:
// [K, V], the blocks' logits side by side.
func blockLogits(p Params, blocks int, h *Node) *Node {
	parts := make([]*Node, blocks)
	for i := range parts {
		parts[i] = DotGeneral(h, []int{1}, nil, p.Get(fmt.Sprintf("%s%d", HeadRows, i)), []int{1}, nil)
	}
	return Concatenate(parts, 1)
}

// bufferFloats is the float32 storage of a Go backend buffer (ok false on another backend).
func bufferFloats(buffer compute.Buffer) (flat []float32, ok bool) {
	_, anyFlat, valid := goBufferFields(buffer)
	if !valid {
		return nil, false
	}
	flat, ok = anyFlat.Interface().([]float32)
	return flat, ok
}

// setStorage makes values the storage of a new shared Go backend buffer of as many values.
func setStorage(buffer compute.Buffer, values []float32) bool {
	raw, anyFlat, valid := goBufferFields(buffer)
	if !valid {
		return false
	}
	if old, isF32 := anyFlat.Interface().([]float32); !isF32 || len(old) != len(values) {
		return false
	}
	raw.Set(reflect.ValueOf(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(values))), 4*len(values))))
	anyFlat.Set(reflect.ValueOf(values))
	return true
}
