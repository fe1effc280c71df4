package hub

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestResolveDirectory(t *testing.T) {
	// The directory wins even when a hub is configured, and needs no network.
	dir, err := Resolve(context.Background(), tinyDir, &Settings{Endpoint: "http://127.0.0.1:1", CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := filepath.Abs(tinyDir)
	if dir != want {
		t.Errorf("dir = %s, want %s", dir, want)
	}
}

func TestResolveDirectoryMissingFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "vocab.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Resolve(context.Background(), dir, nil)
	if !errors.Is(err, ErrMissingFiles) {
		t.Fatalf("err = %v, want ErrMissingFiles", err)
	}
	wantErr(t, err, dir, "model.safetensors", "tokenizer.json (or vocab.json and merges.txt, or vocab.txt)")

	// A pickle instead of safetensors gets the dedicated error.
	if err := os.WriteFile(filepath.Join(dir, "pytorch_model.bin"), []byte("pickle"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Resolve(context.Background(), dir, nil)
	if !errors.Is(err, ErrSafetensorsRequired) {
		t.Fatalf("err = %v, want ErrSafetensorsRequired", err)
	}
	wantErr(t, err, dir, "pytorch_model.bin", "never loaded")
}

func TestResolveBadPaths(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "config.json")
	if err := os.WriteFile(file, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Endpoint that refuses connections: none of these may reach the network.
	s := &Settings{CacheDir: dir, Endpoint: "http://127.0.0.1:1"}
	cases := []struct {
		nameOrPath string
		is         error
		fragment   string
	}{
		{file, ErrInvalidName, "is a file"},
		{filepath.Join(dir, "missing"), fs.ErrNotExist, "missing"},
		{"./no-such-model", fs.ErrNotExist, "no-such-model"},
		{"~/no-such-model-dir", fs.ErrNotExist, "no-such-model-dir"},
		{"a/b/c", fs.ErrNotExist, "a/b/c"},
		{"", ErrInvalidName, "empty"},
		{"org/na me", ErrInvalidName, `"na me"`},
	}
	for _, c := range cases {
		_, err := Resolve(context.Background(), c.nameOrPath, s)
		if !errors.Is(err, c.is) {
			t.Errorf("Resolve(%q) = %v, want %v", c.nameOrPath, err, c.is)
			continue
		}
		wantErr(t, err, c.fragment)
	}
}
