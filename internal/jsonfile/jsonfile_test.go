package jsonfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteKeepsTokensReadable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.json")
	if err := Write(path, map[string]string{"token": "<|endoftext|>"}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(data), "{\"token\":\"<|endoftext|>\"}\n"; got != want {
		t.Errorf("wrote %q, want %q", got, want)
	}
}

func TestWriteNamesThePath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "out.json")
	err := Write(path, 1)
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("Write into a missing folder: %v, want an error naming %s", err, path)
	}
	if _, statErr := os.Stat(path); !os.IsNotExist(statErr) {
		t.Errorf("a failed write left %s behind", path)
	}
}
