package ecco

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gomlx/compute"
	_ "github.com/gomlx/compute/gobackend" // the pure-Go backend, "go": always compiled in
)

// NewBackend returns the GoMLX backend named by $GOMLX_BACKEND ("go", or "xla" in a binary built
// with -tags xla), or the pure-Go backend when the variable is unset. Asking for a backend that
// is not compiled in is an error that lists those that are.
func NewBackend() (compute.Backend, error) {
	config := backendConfig()
	name, _, _ := strings.Cut(config, ":")
	available := compute.List()
	slices.Sort(available)
	if !slices.Contains(available, name) {
		hint := ""
		if name == "xla" {
			hint = " (build with -tags xla and install the PJRT plugin)"
		}
		return nil, fmt.Errorf("ecco: %s=%q names backend %q, which is not compiled into this binary%s; available: %s",
			compute.ConfigEnvVar, config, name, hint, strings.Join(available, ", "))
	}
	b, err := newBackend(withSequentialOps(config))
	if err != nil {
		return nil, fmt.Errorf("ecco: starting GoMLX backend %q: %w", config, err)
	}
	return b, nil
}

// newBackend turns a constructor's panic into an error: backends report some failures that way.
func newBackend(config string) (b compute.Backend, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return compute.NewWithConfig(config)
}

// withSequentialOps adds "ops_sequential" to a Go backend configuration that does not choose an
// ops mode. Why, measured with compute v0.1.6: its default executor runs independent ops in
// parallel on the worker pool that the matrix products also wait on, and a DistilGPT2 attribution
// graph (several backward passes) deadlocks there: `GOMLX_BACKEND=go ecco bench -model DIR` sat at
// 1.4% CPU for 10 minutes, where go:ops_sequential finishes the run in 30 s. The tiny model's
// graphs pass TestConcurrentGenerateAndAttribute either way. Matrix products still use every core.
func withSequentialOps(config string) string {
	name, options, _ := strings.Cut(config, ":")
	if name != "go" || strings.Contains(options, "ops_") {
		return config
	}
	if options == "" {
		return "go:ops_sequential"
	}
	return config + ",ops_sequential"
}
