// Package nmf computes non-negative matrix factorisations X ≈ W·H the way
// scikit-learn 1.2.1's NMF does, so that Ecco's NMF views (run_nmf) come
// out number for number. It depends on gonum only.
//
// # Conventions
//
// X is n_samples × n_features and non-negative. For Ecco a sample is a
// token position and a feature a neuron: X[position][layer·N + neuron] =
// max(activation, 0). W is n_samples × k and H is k × n_features; Ecco's
// "factors" are Wᵀ (Result.Factors). The objective is the Frobenius loss
// ½‖X - W·H‖²_F without regularisation, and Result.ReconstructionErr is
// ‖X - W·H‖_F = sqrt(2·loss), scikit-learn's reconstruction_err_.
//
// A nil *Settings, and every zero field of one, means Ecco's call:
// NMF(n_components=10, init='random', random_state=0, max_iter=500), with
// scikit-learn's defaults for the rest (coordinate descent without
// shuffling, tol 1e-4).
//
// # Precision
//
// Ecco passes float32 activations, so scikit-learn runs in float32. By
// default this package does too: X and the factors are float32 and every
// operation is rounded to float32 as in scikit-learn's Cython loop. Set
// Settings.Float64 for float64 data. Results are returned as float64
// matrices either way.
//
// # Reproducibility
//
// The random start reproduces numpy's RandomState (MT19937 with the legacy
// polar Gaussian) and numpy's pairwise mean, summed in column-major order
// (the memory order of the transposed activation matrix Ecco passes to
// scikit-learn), so it equals scikit-learn's
// bit for bit in float32 (and in float64 but for about one value in
// several thousand, where glibc's log is not correctly rounded). The
// solvers follow scikit-learn's update order and stopping rules; only the
// summation order of the matrix products (OpenBLAS there, gonum's
// assembly kernels in fixed chunks here) differs, so factors agree to
// rounding noise and iteration counts agree. Results are deterministic and
// do not depend on GOMAXPROCS.
//
// # Speed
//
// The products X·Hᵀ, Wᵀ·X and H·Hᵀ dominate; they run on gonum's SIMD
// dot and axpy kernels over fixed chunks of 1024 columns of X, spread over
// GOMAXPROCS goroutines. That suits Ecco's wide matrices (a few dozen
// positions × thousands of neurons); a matrix with fewer columns than a
// chunk runs on one goroutine.
//
// NNDSVD starts use an exact SVD where scikit-learn uses randomized_svd,
// so they agree only to that approximation's accuracy.
package nmf
