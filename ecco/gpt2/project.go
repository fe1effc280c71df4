package gpt2

import (
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:staticcheck
)

// Why this file exists: gomlx v0.26.0's pure-Go backend multiplies on a "small" path when one
// batch element's output has at most smallPathLimit values, and otherwise on a "large" path that
// copies both operands into 32×32 blocks on every call. For a weight matrix that copy costs as
// much as the product itself at prompt lengths. project splits the weight's rows into chunks that
// become a batch axis, so each chunk's product stays on the small path (in parallel over chunks)
// and reads the weight in place.

// smallPathLimit is the output size per batch element up to which simplego uses its small path.
const smallPathLimit = 16384

// minChunk is the smallest chunk worth splitting into; below it the large path is better.
const minChunk = 16

// minChunks is how many chunks project aims for, so that both cores (or more) share the work.
const minChunks = 4

// project returns x [..., K] · Mᵀ, [..., R], for a weight M [R, K] stored row-major. Its gradient
// with respect to x is v · M, computed as project(v, back) with back = Mᵀ [K, R] (when back is
// nil, no gradient flows, as in generation).
func project(x, m, back *Node) *Node {
	dims := x.Shape().Dimensions
	k, r := dims[len(dims)-1], m.Shape().Dimensions[0]
	n := x.Shape().Size() / k
	var lhsGrad func(v *Node) *Node
	flat := Reshape(x, n, k)
	c := chunkRows(n, r)
	if c == 0 {
		if back != nil {
			lhsGrad = func(v *Node) *Node { return project(v, back, nil) }
		}
		y := recordDot(flat, m, dotSpec{lhsContract: []int{1}, rhsContract: []int{1}, rhsIsWeight: true, lhsGrad: lhsGrad})
		return Reshape(y, append(dims[:len(dims)-1:len(dims)-1], r)...)
	}
	chunks := r / c
	if back != nil {
		// The broadcast's gradient sums over chunks: hand it the whole gradient in chunk 0.
		lhsGrad = func(v *Node) *Node {
			dx := project(Reshape(TransposeAllAxes(v, 1, 0, 2), n, r), back, nil)
			parts := []*Node{InsertAxes(dx, 0)}
			if chunks > 1 {
				parts = append(parts, Zeros(x.Graph(), shapes.Make(dx.DType(), chunks-1, n, k)))
			}
			return Concatenate(parts, 0)
		}
	}
	rows := BroadcastToDims(Reshape(flat, 1, n, k), chunks, n, k)
	y := recordDot(rows, Reshape(m, chunks, c, k), dotSpec{lhsContract: []int{2}, lhsBatch: []int{0},
		rhsContract: []int{2}, rhsBatch: []int{0}, rhsIsWeight: true, lhsGrad: lhsGrad}) // [chunks, n, c]
	y = Reshape(TransposeAllAxes(y, 1, 0, 2), n, r)
	return Reshape(y, append(dims[:len(dims)-1:len(dims)-1], r)...)
}

// chunkRows picks the chunk size for an n × r product: the largest divisor of r that keeps
// n·c within the small path and makes at least minChunks chunks (simplego parallelises the small
// path over the batch axis only), or 0 when chunks would be too small to pay off.
func chunkRows(n, r int) int {
	for c := min(r/minChunks, smallPathLimit/n); c >= minChunk; c-- {
		if r%c == 0 {
			return c
		}
	}
	return 0
}
