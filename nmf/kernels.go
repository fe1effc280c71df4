package nmf

import "gonum.org/v1/gonum/blas/gonum"

// The solvers spend their time in dot products and axpys over long rows;
// gonum's native BLAS runs those in SIMD assembly. Its axpy multiplies
// and then adds, each rounded, exactly like scikit-learn's Cython loop.

var blasImpl gonum.Implementation

// dot returns Σ x[i]*y[i] in T, len(x) == len(y).
func dot[T real](x, y []T) T {
	switch xs := any(x).(type) {
	case []float32:
		return T(blasImpl.Sdot(len(xs), xs, 1, any(y).([]float32), 1))
	case []float64:
		return T(blasImpl.Ddot(len(xs), xs, 1, any(y).([]float64), 1))
	}
	panic("unreachable")
}

// axpy sets y[i] += alpha*x[i], len(x) == len(y).
func axpy[T real](alpha T, x, y []T) {
	switch xs := any(x).(type) {
	case []float32:
		blasImpl.Saxpy(len(xs), float32(alpha), xs, 1, any(y).([]float32), 1)
	case []float64:
		blasImpl.Daxpy(len(xs), float64(alpha), xs, 1, any(y).([]float64), 1)
	}
}
