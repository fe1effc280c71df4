package decoder

import (
	"fmt"
	"reflect"
	"slices"
	"unsafe"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
	"github.com/gomlx/gomlx/core/tensors"
)

// RowBlock joins a weight's key and a block number in the keys of its row blocks
// ("lm_head.weight:rows:0", ...): views of consecutive rows of a weight [out, in] as it is held,
// sharing its storage (no copy). The LM head has them, and so do the nn.Linear weights held as
// stored (Spec.AsStored) that are too large for compute's small kernel.
//
// Why: a decoding step multiplies one row by each weight. compute v0.1.6 sends a product of
// 4 Mi multiply-adds or more to its large kernel, which first packs the right operand: the
// whole weight, on every step (SmolLM-135M's head: 116 MB, 0.76 s of a 35-token decode, CPU
// profile of BenchmarkDecode35). Blocks under that size take its small kernel, which reads each
// row once. BENCHMARKS.md, "The LM head by blocks when decoding".
const RowBlock = ":rows:"

// rowBlockKey is the key of block i of weight key.
func rowBlockKey(key string, i int) string { return fmt.Sprintf("%s%s%d", key, RowBlock, i) }

// smallProduct is compute v0.1.6's bound (multiply-adds) under which a product takes its small
// kernel (noSIMDSmallMatMulSizeThreshold).
const smallProduct = 4 << 20

// rowsPerBlock is the rows of a block of a weight [out, d]: the most, a multiple of 16, whose
// product with one row stays under smallProduct.
func rowsPerBlock(d int) int { return max(16, (smallProduct-1)/d/16*16) }

// rowViews returns views of w [out, in] by blocks of rowsPerBlock(in) rows; ok is false on a
// backend whose buffers are not the Go backend's (see exactStorage), where there are none. The
// views hold no reference to w: whoever holds them must hold w too.
func rowViews(backend compute.Backend, w *tensors.Tensor) (views []*tensors.Tensor, ok bool, err error) {
	dims := w.Shape().Dimensions
	if len(dims) != 2 || w.DType() != dtypes.Float32 || !backend.HasSharedBuffers() {
		return nil, false, nil
	}
	buf, err := w.Buffer(backend, 0)
	if err != nil {
		return nil, false, fmt.Errorf("its buffer: %w", err)
	}
	all, ok := bufferFloats(buf)
	if !ok || len(all) != dims[0]*dims[1] {
		return nil, false, nil
	}
	v, d, block := dims[0], dims[1], rowsPerBlock(dims[1])
	for from := 0; from < v; from += block {
		to := min(from+block, v)
		view, _, err := backend.NewSharedBuffer(0, shapes.Make(dtypes.Float32, 1))
		if err != nil {
			return nil, false, fmt.Errorf("a view of its rows %d–%d: %w", from, to, err)
		}
		if !setStorage(view, shapes.Make(dtypes.Float32, to-from, d), all[from*d:to*d]) {
			return nil, false, nil
		}
		t, err := tensors.FromBuffer(view)
		if err != nil {
			return nil, false, fmt.Errorf("a view of its rows %d–%d: %w", from, to, err)
		}
		views = append(views, t)
	}
	return views, true, nil
}

// blockProduct is h [K, in] · Wᵀ for the weight key [out, in], through its row blocks:
// [K, out], the blocks' products side by side.
func blockProduct(p Params, key string, h *Node) *Node {
	var parts []*Node
	for i := 0; p.Has(rowBlockKey(key, i)); i++ {
		parts = append(parts, DotGeneral(h, []int{1}, nil, p.Get(rowBlockKey(key, i)), []int{1}, nil))
	}
	return Concatenate(parts, 1)
}

// oneRowProduct is x [..., in] · Wᵀ for the weight key [out, in] through its row blocks, when
// x holds one row and the weight has blocks: [..., out]; ok is false otherwise.
func (p Params) oneRowProduct(key string, x *Node) (y *Node, ok bool) {
	in := x.Shape().Dimensions[x.Rank()-1]
	if x.Shape().Size() != in || !p.Has(rowBlockKey(key, 0)) {
		return nil, false
	}
	dims := slices.Clone(x.Shape().Dimensions)
	dims[len(dims)-1] = p.Get(key).Shape().Dimensions[0]
	return Reshape(blockProduct(p, key, Reshape(x, 1, in)), dims...), true
}

// bufferFloats is the float32 storage of a Go backend buffer (ok false on another backend).
func bufferFloats(buffer compute.Buffer) (flat []float32, ok bool) {
	_, anyFlat, _, ok := goFloatBuffer(buffer)
	if !ok {
		return nil, false
	}
	return anyFlat.Interface().([]float32), true
}

// setStorage makes values, shape's float32 values, the storage of a shared Go backend buffer.
func setStorage(buffer compute.Buffer, shape shapes.Shape, values []float32) bool {
	raw, anyFlat, rawShape, ok := goFloatBuffer(buffer)
	if !ok || shape.Size() != len(values) {
		return false
	}
	raw.Set(reflect.ValueOf(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(values))), 4*len(values))))
	anyFlat.Set(reflect.ValueOf(values))
	rawShape.Set(reflect.ValueOf(shape.Clone()))
	return true
}

// goFloatBuffer returns the settable RawBytes []byte, Flat any (holding a []float32) and
// RawShape fields of a float32 buffer of compute v0.1.6's Go backend; ok is false for any other
// buffer.
func goFloatBuffer(buffer compute.Buffer) (raw, flat, shape reflect.Value, ok bool) {
	v := reflect.ValueOf(buffer)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return raw, flat, shape, false
	}
	raw, flat, shape = v.Elem().FieldByName("RawBytes"), v.Elem().FieldByName("Flat"), v.Elem().FieldByName("RawShape")
	ok = raw.IsValid() && flat.IsValid() && shape.IsValid() && raw.Type() == reflect.TypeFor[[]byte]() &&
		flat.Kind() == reflect.Interface && shape.Type() == reflect.TypeFor[shapes.Shape]() &&
		raw.CanSet() && flat.CanSet() && shape.CanSet()
	if ok {
		_, ok = flat.Interface().([]float32)
	}
	return raw, flat, shape, ok
}
