package gpt2

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ecco-go/ecco/ecco/safetensors"
	"github.com/gomlx/compute"
)

// Load reads config.json and model.safetensors from dir and puts the weights on backend.
func Load(backend compute.Backend, dir string) (*Model, error) {
	cfg, err := LoadConfig(os.DirFS(dir))
	if err != nil {
		return nil, fmt.Errorf("%w (in %s)", err, dir)
	}
	path := filepath.Join(dir, "model.safetensors")
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		if _, binErr := os.Stat(filepath.Join(dir, "pytorch_model.bin")); binErr == nil {
			return nil, fmt.Errorf("gpt2: %s has only pytorch_model.bin: safetensors is required (pickle files are never loaded); convert it or pick a revision with model.safetensors", dir)
		}
		return nil, fmt.Errorf("gpt2: %s: model.safetensors not found", dir)
	}
	f, err := safetensors.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	w, err := LoadWeights(f, cfg, path)
	if err != nil {
		return nil, err
	}
	return New(backend, cfg, w)
}
