package analysis

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// CCASettings tunes the canonical correlation analysis behind CCA, SVCCA and
// PWCCA. A nil *CCASettings means Ecco's values: Epsilon 1e-10, Threshold 0.98.
type CCASettings struct {
	// Epsilon drops neurons whose variance, relative to the largest covariance
	// entry of their side, is below it, and is added to the diagonal of the
	// rescaled covariances to keep their inverses stable. Must be >= 0.
	Epsilon float64
	// Threshold picks the coefficients behind CCAResult.Mean: the leading ones
	// whose running sum first reaches Threshold times the total. In (0, 1].
	Threshold float64
}

// defaultCCASettings are the values Ecco passes to Google's code.
var defaultCCASettings = CCASettings{Epsilon: 1e-10, Threshold: 0.98}

// resolve returns the settings to use, checking a non-nil s.
func (s *CCASettings) resolve() (CCASettings, error) {
	if s == nil {
		return defaultCCASettings, nil
	}
	if !(s.Epsilon >= 0) || math.IsInf(s.Epsilon, 1) {
		return CCASettings{}, fmt.Errorf("%w: Epsilon %v, want a finite value >= 0", ErrSettings, s.Epsilon)
	}
	if !(s.Threshold > 0 && s.Threshold <= 1) {
		return CCASettings{}, fmt.Errorf("%w: Threshold %v, want a value in (0, 1]", ErrSettings, s.Threshold)
	}
	return *s, nil
}

// CCAResult holds a canonical correlation analysis of two activation matrices.
type CCAResult struct {
	// Coefficients are the canonical correlations, largest first; one per
	// direction, min(kept neurons of a, kept neurons of b) of them.
	Coefficients []float64
	// Mean averages the leading Coefficients that hold Threshold of their sum:
	// Ecco's cca score.
	Mean float64
	// KeptA and KeptB flag the neurons of a and b with enough variance to
	// take part (see CCASettings.Epsilon).
	KeptA, KeptB []bool

	// coefA (kept a × kept a) rows are the left singular vectors, coefB
	// (kept b × kept b) rows the right ones, in the whitened spaces.
	coefA, coefB *mat.Dense
	// meansA and meansB are every neuron's mean over positions.
	meansA, meansB []float64
}

// CanonicalCorrelations runs canonical correlation analysis between a and b,
// both (neurons × positions) with more positions than neurons. A nil settings
// means Ecco's values.
func CanonicalCorrelations(a, b mat.Matrix, settings *CCASettings) (*CCAResult, error) {
	x, y, s, err := ccaInputs("CCA", a, b, settings)
	if err != nil {
		return nil, err
	}
	return canonical(x, y, s)
}

// ccaInputs checks what CCA and PWCCA take: settings, two finite matrices with the same
// positions, and more positions than neurons in each.
func ccaInputs(score string, a, b mat.Matrix, settings *CCASettings) (x, y *mat.Dense, s CCASettings, err error) {
	if s, err = settings.resolve(); err != nil {
		return nil, nil, s, err
	}
	if x, y, err = densePair(a, b); err != nil {
		return nil, nil, s, err
	}
	if err = needMorePositions(score, x, y); err != nil {
		return nil, nil, s, err
	}
	return x, y, s, nil
}

// CCA returns Ecco's cca score of a and b: the mean of the leading canonical
// correlations holding 98% of their sum.
func CCA(a, b mat.Matrix) (float64, error) {
	res, err := CanonicalCorrelations(a, b, nil)
	if err != nil {
		return 0, err
	}
	return res.Mean, nil
}

// canonical computes CCA on validated copies x and y; it centres them in place.
func canonical(x, y *mat.Dense, s CCASettings) (*CCAResult, error) {
	nx, positions := x.Dims()
	ny, _ := y.Dims()
	res := &CCAResult{meansA: centreRows(x), meansB: centreRows(y)}

	norm := 1 / float64(positions-1)
	var sxx, syy mat.SymDense
	sxx.SymOuterK(norm, x)
	syy.SymOuterK(norm, y)
	var sxy mat.Dense
	sxy.Mul(x, y.T())
	sxy.Scale(norm, &sxy)

	// Rescaling each side by its largest entry makes Epsilon relative.
	xmax, ymax := maxAbsSym(&sxx), maxAbsSym(&syy)
	if xmax == 0 {
		return nil, fmt.Errorf("%w: every neuron of a is constant over positions", ErrNoVariance)
	}
	if ymax == 0 {
		return nil, fmt.Errorf("%w: every neuron of b is constant over positions", ErrNoVariance)
	}
	res.KeptA = keepVaried(&sxx, xmax, s.Epsilon)
	res.KeptB = keepVaried(&syy, ymax, s.Epsilon)
	ix, iy := keptIndices(res.KeptA), keptIndices(res.KeptB)
	if len(ix) == 0 || len(iy) == 0 {
		return nil, fmt.Errorf("%w: no neuron of a (%d of %d kept) or b (%d of %d kept) varies above epsilon %g",
			ErrNoVariance, len(ix), nx, len(iy), ny, s.Epsilon)
	}

	invX, err := invSqrtPSD(regularised(&sxx, ix, xmax, s.Epsilon))
	if err != nil {
		return nil, fmt.Errorf("a: %w", err)
	}
	invY, err := invSqrtPSD(regularised(&syy, iy, ymax, s.Epsilon))
	if err != nil {
		return nil, fmt.Errorf("b: %w", err)
	}
	cross := subset(&sxy, ix, iy)
	cross.Scale(1/math.Sqrt(xmax*ymax), cross)

	var whitened mat.Dense
	whitened.Product(invX, cross, invY)
	var svd mat.SVD
	if !svd.Factorize(&whitened, mat.SVDFull) {
		return nil, fmt.Errorf("%w: SVD of the %d × %d whitened cross-covariance", ErrNumerical, len(ix), len(iy))
	}
	res.Coefficients = svd.Values(nil)
	for i, v := range res.Coefficients {
		res.Coefficients[i] = math.Abs(v)
	}
	var u, v mat.Dense
	svd.UTo(&u)
	svd.VTo(&v)
	res.coefA = mat.DenseCopyOf(u.T())
	res.coefB = mat.DenseCopyOf(v.T())
	res.Mean = leadingMean(res.Coefficients, s.Threshold)
	return res, nil
}

// keepVaried flags the neurons whose variance over scale is at least epsilon.
func keepVaried(cov *mat.SymDense, scale, epsilon float64) []bool {
	n := cov.SymmetricDim()
	kept := make([]bool, n)
	for i := range n {
		kept[i] = math.Abs(cov.At(i, i))/scale >= epsilon
	}
	return kept
}

// regularised returns cov restricted to idx, divided by scale, plus epsilon
// on the diagonal.
func regularised(cov *mat.SymDense, idx []int, scale, epsilon float64) *mat.SymDense {
	out := mat.NewSymDense(len(idx), nil)
	for i, r := range idx {
		for j := i; j < len(idx); j++ {
			v := cov.At(r, idx[j]) / scale
			if i == j {
				v += epsilon
			}
			out.SetSym(i, j, v)
		}
	}
	return out
}

// leadingMean averages coefs[:k] for the smallest k whose sum reaches
// threshold of the total, or all of them when no shorter prefix does
// (Google's sum_threshold, which also stops short of the full length).
func leadingMean(coefs []float64, threshold float64) float64 {
	var total float64
	for _, c := range coefs {
		total += c
	}
	k := len(coefs)
	var prefix float64
	for i, c := range coefs {
		if prefix/total >= threshold {
			k = i
			break
		}
		prefix += c
	}
	if k == 0 {
		return 0
	}
	var sum float64
	for _, c := range coefs[:k] {
		sum += c
	}
	return sum / float64(k)
}
