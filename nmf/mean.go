package nmf

// numpy's mean decides the scale of the random init, so it must match to
// the last bit. numpy sums in memory order, in buffers of 8192 elements,
// each buffer by pairwise summation (blocks of at most 128 summed with 8
// accumulators), adding each buffer's sum to a running total.

const (
	numpyBufferSize    = 8192
	numpyPairwiseBlock = 128
)

// pairwiseSum is numpy's pairwise_sum for one contiguous buffer.
func pairwiseSum[T real](a []T) T {
	n := len(a)
	switch {
	case n < 8:
		var res T
		for _, v := range a {
			res += v
		}
		return res
	case n <= numpyPairwiseBlock:
		var r [8]T
		copy(r[:], a[:8])
		i := 8
		for ; i < n-n%8; i += 8 {
			for j := range r {
				r[j] += a[i+j]
			}
		}
		res := ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
		for ; i < n; i++ {
			res += a[i]
		}
		return res
	default:
		half := n / 2
		half -= half % 8
		return pairwiseSum(a[:half]) + pairwiseSum(a[half:])
	}
}

// numpyMeanColumnMajor returns X.mean() as numpy computes it for the
// row-major rows×cols data x stored in column-major memory order, which is
// how Ecco hands X to scikit-learn (a transposed C array). For float32 numpy
// divides the float32 sum by the count in float64 and rounds back.
func numpyMeanColumnMajor[T real](x []T, rows, cols int) T {
	buf := make([]T, 0, numpyBufferSize)
	var total T
	for j := 0; j < cols; j++ {
		for i := 0; i < rows; i++ {
			buf = append(buf, x[i*cols+j])
			if len(buf) == numpyBufferSize {
				total += pairwiseSum(buf)
				buf = buf[:0]
			}
		}
	}
	if len(buf) > 0 {
		total += pairwiseSum(buf)
	}
	return T(float64(total) / float64(rows*cols))
}
