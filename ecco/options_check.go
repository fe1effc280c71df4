package ecco

import (
	"fmt"
	"math/rand/v2"
)

// check validates every option before any work starts, so a bad setting never costs a
// generation: it returns the sampling settings (zero when not sampling) and the methods to
// compute after generation.
func (o *GenerateOptions) check() (samplingParams, []Method, error) {
	var params samplingParams
	if o.Tokens < 1 {
		return params, nil, fmt.Errorf("ecco: generate %d tokens: want at least 1", o.Tokens)
	}
	if o.IGSteps < 0 {
		return params, nil, fmt.Errorf("ecco: IGSteps %d: want at least 1 (or 0 for %d)", o.IGSteps, DefaultIGSteps)
	}
	if o.Sample {
		var err error
		if params, err = o.sampling(); err != nil {
			return params, nil, err
		}
	}
	methods, err := parseMethods(o.Attribution)
	return params, methods, err
}

// freshSeed draws a sampling seed from the process's random source; never 0, which means
// "draw one".
func freshSeed() uint64 {
	for {
		if s := rand.Uint64(); s != 0 {
			return s
		}
	}
}

// tooLong is the error for a prompt of n tokens that leaves no room for the extra ones in a
// context of limit positions; it names the longest prompt that fits.
func tooLong(n, extra, limit int) error {
	if usable := limit - extra; usable >= 1 {
		return fmt.Errorf("ecco: the prompt's %d tokens plus %d new ones exceed the model's context of %d positions: "+
			"with %d new tokens the prompt can have at most %d tokens", n, extra, limit, extra, usable)
	}
	return fmt.Errorf("ecco: the prompt's %d tokens plus %d new ones exceed the model's context of %d positions: "+
		"ask for at most %d new tokens (with a 1-token prompt)", n, extra, limit, limit-1)
}
