package ecco

import (
	"github.com/ecco-go/ecco/ecco/hub"
	"github.com/gomlx/compute"
)

// Option configures FromPretrained.
type Option func(*loadOptions)

type loadOptions struct {
	activations bool
	layers      []int // nil: every layer
	backend     compute.Backend
	hub         *hub.Settings
}

// WithActivations captures the FFN neuron activations of every layer during Generate
// (Ecco's activations=True).
func WithActivations() Option {
	return func(o *loadOptions) { o.activations = true; o.layers = nil }
}

// WithActivationLayers captures the FFN neurons of the given layers only (Ecco's
// activations_layer_nums). Layers are 0-based; out-of-range or repeated layers are an error
// at load time.
func WithActivationLayers(layers ...int) Option {
	return func(o *loadOptions) { o.activations = true; o.layers = append([]int(nil), layers...) }
}

// WithBackend runs the model on b instead of the backend chosen by $GOMLX_BACKEND.
func WithBackend(b compute.Backend) Option {
	return func(o *loadOptions) { o.backend = b }
}

// WithHub sets where hub ids are looked up and downloaded (nil: from the environment).
func WithHub(s *hub.Settings) Option {
	return func(o *loadOptions) { o.hub = s }
}
