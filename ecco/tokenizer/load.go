package tokenizer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
)

// MaxFileSize bounds every tokenizer file read (GPT-2's tokenizer.json is 1.5 MB).
const MaxFileSize = 64 << 20

// MaxVocabSize bounds token ids, so a malformed file cannot make the tokenizer
// allocate without limit (the largest real vocabularies hold about 260k tokens).
const MaxVocabSize = 1 << 21

// File names looked for by Load.
const (
	TokenizerJSONFile = "tokenizer.json"
	VocabFile         = "vocab.json"
	MergesFile        = "merges.txt"
	// TokenizerConfigFile is read, when present, for transformers'
	// clean_up_tokenization_spaces (see DecodeLikeTransformers).
	TokenizerConfigFile = "tokenizer_config.json"
)

// Load reads a tokenizer from fsys: tokenizer.json if present, otherwise SentencePiece's
// spiece.model, otherwise vocab.json and merges.txt, otherwise BERT's vocab.txt (each with
// tokenizer_config.json when present).
func Load(fsys fs.FS) (*Tokenizer, error) {
	return load(fsys, "")
}

// LoadDir is Load on a directory; errors name files by their path in dir.
func LoadDir(dir string) (*Tokenizer, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("tokenizer: %w (expected a directory holding tokenizer.json, spiece.model, or vocab.json and merges.txt)", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("tokenizer: %s is not a directory (expected a directory holding tokenizer.json, spiece.model, or vocab.json and merges.txt)", dir)
	}
	return load(os.DirFS(dir), dir)
}

// LoadTokenizerJSON reads a HuggingFace tokenizer.json file (name) from fsys.
func LoadTokenizerJSON(fsys fs.FS, name string) (*Tokenizer, error) {
	return loadFiles(fsys, "", name, "", "")
}

// LoadVocabMerges reads GPT-2's vocab.json and merges.txt files from fsys.
func LoadVocabMerges(fsys fs.FS, vocabName, mergesName string) (*Tokenizer, error) {
	return loadFiles(fsys, "", "", vocabName, mergesName)
}

// load picks the files; where prefixes file names in errors ("" for an fs.FS).
func load(fsys fs.FS, where string) (*Tokenizer, error) {
	_, err := fs.Stat(fsys, TokenizerJSONFile)
	switch {
	case err == nil:
		return loadFiles(fsys, where, TokenizerJSONFile, "", "")
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("tokenizer: %s: %w", label(where, TokenizerJSONFile), unwrapPath(err))
	}
	switch _, err := fs.Stat(fsys, SentencePieceFile); {
	case err == nil:
		return loadSentencePiece(fsys, where, SentencePieceFile)
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("tokenizer: %s: %w", label(where, SentencePieceFile), unwrapPath(err))
	}
	if _, err := fs.Stat(fsys, VocabFile); errors.Is(err, fs.ErrNotExist) {
		if _, err := fs.Stat(fsys, VocabTxtFile); err == nil {
			return loadFiles(fsys, where, "", VocabTxtFile, "")
		}
		dir := where
		if dir == "" {
			dir = "the given file system"
		}
		return nil, fmt.Errorf("tokenizer: no %s, %s or %s in %s: expected tokenizer.json, spiece.model, or vocab.json and merges.txt (or BERT's %s)",
			TokenizerJSONFile, SentencePieceFile, VocabFile, dir, VocabTxtFile)
	}
	return loadFiles(fsys, where, "", VocabFile, MergesFile)
}

// loadFiles reads either jsonName or vocabName+mergesName.
func loadFiles(fsys fs.FS, where, jsonName, vocabName, mergesName string) (*Tokenizer, error) {
	var spec *modelSpec
	var err error
	if jsonName != "" {
		var data []byte
		if data, err = readBounded(fsys, where, jsonName); err == nil {
			spec, err = parseTokenizerJSON(data, label(where, jsonName))
		}
	} else if vocabName == VocabTxtFile {
		spec, err = readVocabTxt(fsys, where)
	} else {
		spec, err = readVocabMerges(fsys, where, vocabName, mergesName)
	}
	if err != nil {
		return nil, err
	}
	if spec.cleanUp, err = readCleanUp(fsys, where); err != nil {
		return nil, err
	}
	return newTokenizer(spec)
}

// readCleanUp reads clean_up_tokenization_spaces from tokenizer_config.json,
// if the file is there (false otherwise).
func readCleanUp(fsys fs.FS, where string) (bool, error) {
	data, err := readBounded(fsys, where, TokenizerConfigFile)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	var config struct {
		CleanUp *bool `json:"clean_up_tokenization_spaces"`
	}
	if err := json.Unmarshal(data, &config); err != nil {
		return false, fmt.Errorf("tokenizer: %s: %w; expected a JSON object", label(where, TokenizerConfigFile), describeJSONError(err))
	}
	return config.CleanUp != nil && *config.CleanUp, nil
}

// readVocabMerges parses vocab.json and merges.txt into a modelSpec.
func readVocabMerges(fsys fs.FS, where, vocabName, mergesName string) (*modelSpec, error) {
	vocabData, err := readBounded(fsys, where, vocabName)
	if err != nil {
		return nil, err
	}
	vocab, err := parseVocab(vocabData, label(where, vocabName))
	if err != nil {
		return nil, err
	}
	mergesData, err := readBounded(fsys, where, mergesName)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w (%s needs %s beside it)", err, vocabName, mergesName)
	}
	if err != nil {
		return nil, err
	}
	merges, err := parseMergesText(mergesData, label(where, mergesName))
	if err != nil {
		return nil, err
	}
	spec := &modelSpec{
		source:       label(where, vocabName) + " and " + label(where, mergesName),
		mergesSource: label(where, mergesName) + " line",
		kind:         "BPE",
		vocab:        vocab,
		merges:       merges,
		pre:          byteLevelPre{useRegex: true},
		byteLevel:    true,
		decoder:      byteLevelDecoder{},
		family:       familyByteLevel,
	}
	// GPT-2's slow tokenizer treats <|endoftext|> as its special token.
	if id, ok := vocab[endOfTextContent]; ok {
		spec.added = []addedToken{{content: endOfTextContent, id: id, special: true}}
	}
	return spec, nil
}

// readBounded reads a whole file, refusing files larger than MaxFileSize.
func readBounded(fsys fs.FS, where, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("tokenizer: opening %s: %w", label(where, name), unwrapPath(err))
	}
	defer f.Close()
	tooBig := fmt.Errorf("tokenizer: %s is larger than %d MiB, the limit for tokenizer files", label(where, name), MaxFileSize>>20)
	if info, err := f.Stat(); err == nil && info.Size() > MaxFileSize {
		return nil, tooBig // refuse before reading when the size is known
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("tokenizer: reading %s: %w", label(where, name), unwrapPath(err))
	}
	if len(data) > MaxFileSize {
		return nil, tooBig
	}
	return data, nil
}

// label names a file in errors: its path in dir for LoadDir, else its fs name.
func label(where, name string) string {
	if where == "" {
		return path.Clean(name)
	}
	return filepath.Join(where, filepath.FromSlash(name))
}

// unwrapPath drops an *fs.PathError's own path, which our messages already give
// in full, keeping the cause for errors.Is.
func unwrapPath(err error) error {
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		return pathErr.Err
	}
	return err
}
