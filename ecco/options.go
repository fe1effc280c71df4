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
	cacheDir    string // the result cache's folder ("": none)
	cacheSet    bool   // WithResultCache was given: the notebook default does not apply
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

// WithResultCache keeps the Outputs of Generate and Attribute in dir, so that the same call
// (same model, prompt and options) in a later program returns them instead of computing again;
// "" turns the cache off. In a GoNB notebook it is on by default, in the kernel's temporary
// folder (see the package doc); elsewhere it is off unless asked.
func WithResultCache(dir string) Option {
	return func(o *loadOptions) { o.cacheDir, o.cacheSet = dir, true }
}

// WithHub sets where hub ids are looked up and downloaded (nil: from the environment).
func WithHub(s *hub.Settings) Option {
	return func(o *loadOptions) { o.hub = s }
}
