package hub

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// asDirectory decides whether nameOrPath names a local directory. found is
// true when the caller must return (dir, err) as they are; false means
// "treat it as a hub id".
func asDirectory(nameOrPath string) (dir string, found bool, err error) {
	path := expandHome(nameOrPath)
	info, statErr := os.Stat(path)
	switch {
	case statErr == nil && info.IsDir():
		dir, err = checkDirectory(path)
		return dir, true, err
	case statErr == nil:
		return "", true, fmt.Errorf("hub: %s is a file: %w; hint: pass the directory holding %s, or a hub id",
			path, ErrInvalidName, ConfigFile)
	case !errors.Is(statErr, fs.ErrNotExist):
		return "", true, fmt.Errorf("hub: cannot read %s: %w", path, statErr)
	case looksLikePath(nameOrPath):
		return "", true, fmt.Errorf("hub: directory %s: %w; hint: check the path, or give a hub id such as \"gpt2\" or \"org/name\"",
			path, statErr)
	}
	return "", false, nil
}

// looksLikePath reports text that can only be a file system path, never a
// hub id, so it is not sent to the network when missing.
func looksLikePath(s string) bool {
	return filepath.IsAbs(s) || strings.HasPrefix(s, ".") || strings.HasPrefix(s, "~") ||
		strings.ContainsRune(s, '\\') || strings.Count(s, "/") > 1
}

// checkDirectory returns dir made absolute when it holds the required files.
func checkDirectory(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("hub: directory %s: %w", dir, err)
	}
	err = checkFiles(regularFileIn(abs))
	switch {
	case errors.Is(err, ErrMissingFiles):
		return "", fmt.Errorf("hub: directory %s: %w; hint: a model directory holds %s, %s and %s (or %s and %s)",
			abs, err, ConfigFile, WeightsFile, TokenizerFile, VocabFile, MergesFile)
	case err != nil:
		return "", fmt.Errorf("hub: directory %s: %w", abs, err)
	}
	return abs, nil
}
