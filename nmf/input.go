package nmf

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// real is the element type the solvers run in.
type real interface{ float32 | float64 }

// readMatrix copies m into a row-major slice of T and checks that every
// value is finite, non-negative and representable in T. name is used in
// errors ("X", "InitW", ...).
func readMatrix[T real](name string, m mat.Matrix) (data []T, rows, cols int, err error) {
	if m == nil {
		return nil, 0, 0, fmt.Errorf("%w: %s is nil", ErrInput, name)
	}
	if d, ok := m.(*mat.Dense); ok && (d == nil || d.IsEmpty()) {
		return nil, 0, 0, fmt.Errorf("%w: %s is empty, want at least one row and one column", ErrInput, name)
	}
	rows, cols = m.Dims()
	if rows <= 0 || cols <= 0 {
		return nil, 0, 0, fmt.Errorf("%w: %s is %d×%d, want at least one row and one column", ErrInput, name, rows, cols)
	}
	data = make([]T, rows*cols)
	raw, isRaw := m.(mat.RawMatrixer)
	var r []float64
	stride := 0
	if isRaw {
		rm := raw.RawMatrix()
		r, stride = rm.Data, rm.Stride
	}
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			var v float64
			if isRaw {
				v = r[i*stride+j]
			} else {
				v = m.At(i, j)
			}
			t := T(v)
			switch {
			case math.IsNaN(v) || math.IsInf(v, 0):
				return nil, 0, 0, fmt.Errorf("%w: %s[%d][%d] is %v, want a finite value", ErrInput, name, i, j, v)
			case v < 0:
				return nil, 0, 0, fmt.Errorf("%w: %s[%d][%d] = %g is negative, NMF needs non-negative values", ErrInput, name, i, j, v)
			case math.IsInf(float64(t), 0):
				return nil, 0, 0, fmt.Errorf("%w: %s[%d][%d] = %g overflows float32; set Settings.Float64", ErrInput, name, i, j, v)
			}
			data[i*cols+j] = t + 0 // turns -0 into +0, which the solvers rely on
		}
	}
	return data, rows, cols, nil
}

// toDense returns a float64 matrix holding the row-major data.
func toDense[T real](rows, cols int, data []T) *mat.Dense {
	out := make([]float64, len(data))
	for i, v := range data {
		out[i] = float64(v)
	}
	return mat.NewDense(rows, cols, out)
}

// transposeToDense returns the cols×rows float64 transpose of row-major data.
func transposeToDense[T real](rows, cols int, data []T) *mat.Dense {
	out := make([]float64, len(data))
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			out[j*rows+i] = float64(data[i*cols+j])
		}
	}
	return mat.NewDense(cols, rows, out)
}
