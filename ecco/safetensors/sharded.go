package safetensors

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Checkpoint file names, as HuggingFace writes them.
const (
	SingleFile = "model.safetensors"
	IndexFile  = "model.safetensors.index.json"
)

// maxIndexSize bounds the read of an index: real ones are well under 1 MB.
const maxIndexSize = 16 << 20

// Set is a model's weights as the hub ships them: one model.safetensors, or shards listed by
// model.safetensors.index.json. Its accessors route each name to its shard.
type Set struct {
	files []*File
	owner map[string]*File // tensor name -> shard holding it
	names []string         // sorted
}

// OpenDir opens the weights of the model folder dir: the shards named by IndexFile when it
// exists, otherwise SingleFile. Every shard the index names must exist and hold the tensors the
// index assigns to it.
func OpenDir(dir string) (*Set, error) {
	index := filepath.Join(dir, IndexFile)
	if _, err := os.Stat(index); err == nil {
		return openIndex(dir, index)
	}
	path := filepath.Join(dir, SingleFile)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		if _, binErr := os.Stat(filepath.Join(dir, "pytorch_model.bin")); binErr == nil {
			return nil, fmt.Errorf("safetensors: %s has only pytorch_model.bin: safetensors is required (pickle files are never loaded); convert it or pick a revision with %s", dir, SingleFile)
		}
		return nil, fmt.Errorf("safetensors: %s holds neither %s nor %s", dir, SingleFile, IndexFile)
	}
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	s := &Set{files: []*File{f}, owner: map[string]*File{}, names: f.Names()}
	for _, name := range s.names {
		s.owner[name] = f
	}
	return s, nil
}

// openIndex reads the index's weight_map and opens every shard it names.
func openIndex(dir, index string) (*Set, error) {
	data, err := readBounded(index, maxIndexSize)
	if err != nil {
		return nil, err
	}
	var doc struct {
		WeightMap map[string]string `json:"weight_map"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("safetensors: %s: malformed JSON: %w", index, err)
	}
	if len(doc.WeightMap) == 0 {
		return nil, fmt.Errorf("safetensors: %s: no \"weight_map\" entries: expected {\"weight_map\": {tensor: shard file}}", index)
	}
	s := &Set{owner: map[string]*File{}}
	shards := map[string]*File{}
	for _, name := range slices.Sorted(maps.Keys(doc.WeightMap)) {
		shard := doc.WeightMap[name]
		f, ok := shards[shard]
		if !ok {
			if shard == "" || shard != filepath.Base(shard) || strings.HasPrefix(shard, ".") {
				s.Close()
				return nil, fmt.Errorf("safetensors: %s: tensor %q names shard %q: expected a file name in the same folder", index, name, shard)
			}
			path := filepath.Join(dir, shard)
			if _, err := os.Stat(path); err != nil {
				s.Close()
				return nil, fmt.Errorf("safetensors: %s names shard %s (for tensor %q), which is missing: %w (download every shard)", index, shard, name, err)
			}
			if f, err = Open(path); err != nil {
				s.Close()
				return nil, err
			}
			shards[shard] = f
			s.files = append(s.files, f)
		}
		if _, ok := f.Info(name); !ok {
			s.Close()
			return nil, fmt.Errorf("safetensors: %s assigns tensor %q to %s, which does not hold it", index, name, f.Path())
		}
		s.owner[name] = f
		s.names = append(s.names, name)
	}
	return s, nil
}

// readBounded reads a whole small file, refusing one larger than limit.
func readBounded(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("safetensors: reading %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("safetensors: %s is larger than %d bytes: not a shard index", path, limit)
	}
	return data, nil
}

// Names lists every tensor of every shard, sorted.
func (s *Set) Names() []string { return slices.Clone(s.names) }

// Float32 reads a tensor from its shard as float32 (see File.Float32).
func (s *Set) Float32(name string) ([]float32, []int, error) {
	f, err := s.file(name)
	if err != nil {
		return nil, nil, err
	}
	return f.Float32(name)
}

// Shape returns a tensor's dimensions from its shard's header (see File.Shape).
func (s *Set) Shape(name string) ([]int, error) {
	f, err := s.file(name)
	if err != nil {
		return nil, err
	}
	return f.Shape(name)
}

// ReadFloat32 decodes a tensor from its shard into dst (see File.ReadFloat32).
func (s *Set) ReadFloat32(name string, dst []float32) error {
	f, err := s.file(name)
	if err != nil {
		return err
	}
	return f.ReadFloat32(name, dst)
}

// file is the shard holding name.
func (s *Set) file(name string) (*File, error) {
	f, ok := s.owner[name]
	if !ok {
		return nil, fmt.Errorf("safetensors: tensor %q: %w", name, ErrNoTensor)
	}
	return f, nil
}

// Where returns the file holding name ("" if none).
func (s *Set) Where(name string) string {
	if f, ok := s.owner[name]; ok {
		return f.Path()
	}
	return ""
}

// Close closes every shard.
func (s *Set) Close() error {
	var errs []error
	for _, f := range s.files {
		errs = append(errs, f.Close())
	}
	return errors.Join(errs...)
}
