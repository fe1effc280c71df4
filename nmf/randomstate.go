package nmf

import (
	"math"

	"github.com/ecco-go/ecco/internal/mt19937"
)

// This file ports the part of numpy's legacy RandomState that scikit-learn's
// NMF uses: MT19937 seeded from a 32-bit integer, random_sample and the
// legacy polar Box–Muller standard normal. The goal is bit-identical output,
// so the order of draws and every rounding step follow numpy 1.24.

// randomState is numpy's RandomState(seed) for an integer seed.
type randomState struct {
	mt *mt19937.MT

	// The polar method makes two normals per accepted pair; numpy returns
	// one and keeps the other for the next call.
	hasGauss bool
	gauss    float64
}

// newRandomState seeds like numpy's RandomState(seed) for an int seed:
// numpy's _legacy_seeding calls init_genrand (mt19937_seed), not
// init_by_array, for a Python int.
func newRandomState(seed uint32) *randomState { return &randomState{mt: mt19937.New(seed)} }

// uint32 returns the next tempered 32-bit output.
func (rs *randomState) uint32() uint32 { return rs.mt.Uint32() }

// randomSample is numpy's random_sample: a 53-bit double in [0, 1) made of
// the top 27 bits of one draw and the top 26 bits of the next.
func (rs *randomState) randomSample() float64 {
	a := rs.uint32() >> 5
	b := rs.uint32() >> 6
	return (float64(a)*67108864.0 + float64(b)) / 9007199254740992.0
}

// standardNormal is numpy's legacy_gauss.
func (rs *randomState) standardNormal() float64 {
	if rs.hasGauss {
		rs.hasGauss = false
		g := rs.gauss
		rs.gauss = 0
		return g
	}
	var x1, x2, r2 float64
	for {
		x1 = 2*rs.randomSample() - 1
		x2 = 2*rs.randomSample() - 1
		// The conversions forbid fusing into an FMA, which numpy's C does not do.
		r2 = float64(x1*x1) + float64(x2*x2)
		if r2 < 1 && r2 != 0 {
			break
		}
	}
	f := math.Sqrt(-2 * correctLog(r2) / r2)
	rs.gauss = f * x1
	rs.hasGauss = true
	return f * x2
}

// fillStandardNormal draws len(dst) normals in order, like
// RandomState.standard_normal(size=...) filling a C-ordered array.
func (rs *randomState) fillStandardNormal(dst []float64) {
	for i := range dst {
		dst[i] = rs.standardNormal()
	}
}
