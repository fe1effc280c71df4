package llama

import (
	"math"

	"github.com/ecco-go/ecco/ecco/family/decoder"
)

// InverseFrequencies are the rotary frequencies θ^(−2j/dh), j < dh/2, after rope_scaling, as
// HuggingFace's rope initialisation computes them.
func (c *Config) InverseFrequencies() []float64 {
	inv := decoder.RotaryFrequencies(c.RopeTheta, c.HeadDim)
	s := c.Rope
	switch s.Type {
	case "linear":
		for j := range inv {
			inv[j] /= s.Factor
		}
	case "llama3":
		// Long wavelengths are divided by factor, short ones kept, and the band between
		// interpolated smoothly (transformers' _compute_llama3_parameters).
		old := float64(s.OriginalContext)
		lowWavelen, highWavelen := old/s.LowFreqFactor, old/s.HighFreqFactor
		for j, f := range inv {
			wavelen := 2 * math.Pi / f
			switch {
			case wavelen > lowWavelen:
				inv[j] = f / s.Factor
			case wavelen >= highWavelen:
				smooth := (old/wavelen - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor)
				inv[j] = (1-smooth)*f/s.Factor + smooth*f
			}
		}
	}
	return inv
}
