// Package analysis scores how similar two sets of neuron activations are, a
// port of Ecco's ecco.analysis module (CCA, SVCCA, PWCCA and CKA).
//
// # Conventions
//
// Every activation matrix is (neurons × token positions): row i holds one
// neuron's activation at every position, column j one position. The two
// matrices of a score may have different numbers of neurons but must cover the
// same positions. Inputs are any mat.Matrix; they are copied, never modified.
//
// The numerics follow Ecco, which wraps Google's svcca code
// (cca_core.get_cca_similarity with epsilon 1e-10, pwcca.compute_pwcca) and
// the linear CKA of Google's CKA notebook:
//
//   - Covariances use the unbiased 1/(positions-1) normalisation, then each
//     side is divided by its largest absolute entry.
//   - A neuron whose rescaled variance is below Epsilon is dropped, and Epsilon
//     is added to the diagonal of what remains before the inverse square root.
//   - CCA's score is the mean of the leading canonical correlations whose
//     running sum first reaches 98% of their total (Google's "mean").
//
// Differences from Ecco, all on inputs where Ecco crashes or returns a
// meaningless number: bad shapes, NaN or Inf entries and empty matrices are
// errors (ErrShape, ErrNotFinite, ErrEmpty) rather than assertions; a matrix
// with no variance at all is ErrNoVariance for every score (Google returns 0
// for CCA and SVCCA, crashes in PWCCA and returns NaN in CKA); CCA and PWCCA
// require more positions than neurons on both sides, not only the first; and
// PWCCA weights by the second matrix when its side keeps fewer neurons (Google
// mixes the first matrix's activations with the second's directions there,
// see google/svcca pull request 9).
//
// PWCCA is the fragile one: its weights change when canonical directions
// with nearly equal correlations are rotated among themselves, which
// rounding does. On golden prompt 2 (nine correlations within 1e-6 of 1)
// Ecco's own value moves by up to 3e-5 under 1e-15 relative input noise,
// while CCA, SVCCA and CKA stay within 1e-14.
//
// Scores are float64 and lie in [0, 1]: 1 means one matrix is a linear
// transform of the other (CCA family) or an orthogonal transform times a
// scalar (CKA). The package depends on gonum only.
package analysis
