package seq2seq

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/decoder"
	"github.com/ecco-go/ecco/ecco/safetensors"
	"github.com/gomlx/compute"
)

// Config is a family's parsed config.json: what it implies for the checkpoint and the graph.
type Config interface {
	Info() family.Info        // the decoder stack
	EncoderInfo() family.Info // the encoder stack
	Spec() decoder.Spec
	Arch() *Arch
	// Start is config.json's decoder start: decoder_start_token_id, else bos_token_id.
	Start() (int, error)
}

// GenerationFile is the generation settings a model folder may hold beside config.json.
const GenerationFile = "generation_config.json"

// LoadDir reads config.json with parse, generation_config.json when present and the
// safetensors weights (one file or shards) from dir and puts them on backend. name prefixes
// errors ("t5", "bart").
func LoadDir(backend compute.Backend, dir, name string, parse func([]byte) (Config, error)) (*Model, error) {
	fsys := os.DirFS(dir)
	data, err := family.ReadConfig(fsys)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", name, dir, err)
	}
	cfg, err := parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %s/%s: %w", name, dir, family.ConfigFile, err)
	}
	start, err := decoderStart(fsys, cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", name, dir, err)
	}
	src, err := safetensors.OpenDir(dir)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	return Load(backend, cfg, start, src, dir)
}

// Load checks and reads the weights cfg implies from src (where names it in errors) onto
// backend; the decoder starts from start.
func Load(backend compute.Backend, cfg Config, start int, src decoder.Source, where string) (*Model, error) {
	w, err := decoder.Read(src, cfg.Spec(), where)
	if err != nil {
		return nil, err
	}
	return New(backend, cfg.Info(), cfg.EncoderInfo(), cfg.Arch(), start, w)
}

// decoderStart is generation_config.json's decoder_start_token_id (HuggingFace's generate reads
// it first), else config.json's.
func decoderStart(fsys fs.FS, cfg Config) (int, error) {
	f, err := fsys.Open(GenerationFile)
	if errors.Is(err, fs.ErrNotExist) {
		return cfg.Start()
	}
	if err != nil {
		return 0, fmt.Errorf("reading %s: %w", GenerationFile, err)
	}
	defer f.Close()
	const limit = 1 << 20 // real ones are a few hundred bytes
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return 0, fmt.Errorf("reading %s: %w", GenerationFile, err)
	}
	if len(data) > limit {
		return 0, fmt.Errorf("%s is larger than %d bytes: not a generation config", GenerationFile, limit)
	}
	var gen struct {
		Start *int `json:"decoder_start_token_id"`
	}
	if err := json.Unmarshal(data, &gen); err != nil {
		return 0, fmt.Errorf("%s: malformed JSON: %w", GenerationFile, err)
	}
	if gen.Start != nil {
		return *gen.Start, nil
	}
	return cfg.Start()
}

// StartID is a config's decoder start: start when set, else bos; an error when neither is.
func StartID(start, bos *int) (int, error) {
	switch {
	case start != nil:
		return *start, nil
	case bos != nil:
		return *bos, nil
	}
	return 0, errors.New("neither decoder_start_token_id nor bos_token_id is set: the decoder has no first token")
}
