package checkpoint

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ecco-go/ecco/ecco/tokenizer"
)

// tokenizerFiles are the files a model folder's tokenizer may come with.
var tokenizerFiles = []string{
	tokenizer.TokenizerJSONFile, tokenizer.VocabFile, tokenizer.MergesFile, tokenizer.VocabTxtFile,
	"tokenizer_config.json", "special_tokens_map.json", "added_tokens.json",
}

// TokenizerFiles reads the tokenizer files present in the model folder src, each bounded by
// the tokenizer's own file limit, into files (name -> contents).
func TokenizerFiles(src string, files map[string][]byte) error {
	for _, name := range tokenizerFiles {
		data, err := readBounded(filepath.Join(src, name), tokenizer.MaxFileSize)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		files[name] = data
	}
	return nil
}

// readBounded reads a regular file of at most limit bytes.
func readBounded(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than the %d bytes a tokenizer file may hold", path, limit)
	}
	return data, nil
}
