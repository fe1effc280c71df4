package decoder

import (
	"fmt"
	"os"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/safetensors"
	"github.com/gomlx/compute"
)

// Config is a family's parsed config.json: what it implies for the checkpoint and the graph.
type Config interface {
	Info() family.Info
	Spec() Spec
	Arch() *Arch
}

// LoadDir reads config.json with parse and the safetensors weights (one file or shards) from
// dir and puts them on backend. name prefixes errors ("llama", "gpt_neo").
func LoadDir(backend compute.Backend, dir, name string, parse func([]byte) (Config, error)) (*Model, error) {
	data, err := family.ReadConfig(os.DirFS(dir))
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", name, dir, err)
	}
	cfg, err := parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %s/%s: %w", name, dir, family.ConfigFile, err)
	}
	src, err := safetensors.OpenDir(dir)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	return Load(backend, cfg, src, dir)
}

// Load checks and reads the weights cfg implies from src (where names it in errors) onto backend.
func Load(backend compute.Backend, cfg Config, src Source, where string) (*Model, error) {
	w, err := Read(src, cfg.Spec(), where)
	if err != nil {
		return nil, err
	}
	return New(backend, cfg.Info(), cfg.Arch(), w)
}
