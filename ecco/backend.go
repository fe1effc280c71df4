package ecco

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/gomlx/gomlx/backends"
	_ "github.com/gomlx/gomlx/backends/simplego" // the pure-Go backend, "go": always compiled in
)

// NewBackend returns the GoMLX backend named by $GOMLX_BACKEND ("go", or "xla" in a binary built
// with -tags xla), or the pure-Go backend when the variable is unset. Asking for a backend that
// is not compiled in is an error that lists those that are.
func NewBackend() (backends.Backend, error) {
	config := os.Getenv(backends.ConfigEnvVar)
	if config == "" {
		config = "go"
	}
	name, _, _ := strings.Cut(config, ":")
	available := backends.List()
	slices.Sort(available)
	if !slices.Contains(available, name) {
		hint := ""
		if name == "xla" {
			hint = " (build with -tags xla and install the PJRT plugin)"
		}
		return nil, fmt.Errorf("ecco: %s=%q names backend %q, which is not compiled into this binary%s; available: %s",
			backends.ConfigEnvVar, config, name, hint, strings.Join(available, ", "))
	}
	b, err := newBackend(withSequentialOps(config))
	if err != nil {
		return nil, fmt.Errorf("ecco: starting GoMLX backend %q: %w", config, err)
	}
	return b, nil
}

// newBackend turns a constructor's panic into an error: backends report some failures that way.
func newBackend(config string) (b backends.Backend, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return backends.NewWithConfig(config)
}

// withSequentialOps adds "ops_sequential" to a pure-Go backend configuration that does not choose
// an ops mode. Why: gomlx v0.26.0's pure-Go backend runs independent ops in parallel on the same
// worker pool that its matrix products wait on; a graph with several backward passes (batched
// attributions) deadlocks there. Products still use every core.
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
