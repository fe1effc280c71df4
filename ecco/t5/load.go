package t5

import (
	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/seq2seq"
	"github.com/gomlx/compute"
)

// Load reads config.json, generation_config.json (when present) and the safetensors weights
// (one file or shards) from dir and puts them on backend.
func Load(backend compute.Backend, dir string) (family.Seq2Seq, error) {
	return seq2seq.LoadDir(backend, dir, "t5", func(data []byte) (seq2seq.Config, error) { return ParseConfig(data) })
}
