package gpt2

import (
	"fmt"
	"os"

	"github.com/ecco-go/ecco/ecco/safetensors"
	"github.com/gomlx/compute"
)

// Load reads config.json and the safetensors weights (one file or shards) from dir and puts them
// on backend.
func Load(backend compute.Backend, dir string) (*Model, error) {
	cfg, err := LoadConfig(os.DirFS(dir))
	if err != nil {
		return nil, fmt.Errorf("%w (in %s)", err, dir)
	}
	src, err := safetensors.OpenDir(dir)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	w, err := LoadWeights(src, cfg, dir)
	if err != nil {
		return nil, err
	}
	return New(backend, cfg, w)
}
