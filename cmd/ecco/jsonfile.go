package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// writeJSON encodes v to path atomically: into a temporary file beside it, synced, then renamed.
// A failure at any point removes the temporary file and leaves path as it was.
func writeJSON(path string, v any) error {
	return writeFileAtomic(path, func(w io.Writer) error { return encodeJSON(w, v, "") })
}

// writeJSONIndented is writeJSON for small files people read, such as config.json.
func writeJSONIndented(path string, v any) error {
	return writeFileAtomic(path, func(w io.Writer) error { return encodeJSON(w, v, "  ") })
}

// writeFileAtomic calls write on a buffered temporary file next to path and renames it to path.
func writeFileAtomic(path string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			err = fmt.Errorf("writing %s: %w", path, err)
		}
	}()
	buf := bufio.NewWriterSize(tmp, 1<<20)
	if err = write(buf); err != nil {
		return err
	}
	if err = buf.Flush(); err != nil {
		return err
	}
	if err = tmp.Chmod(0o644); err != nil { // CreateTemp makes the file owner-only
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// encodeJSON writes v as JSON, on one line unless indent is set.
func encodeJSON(w io.Writer, v any, indent string) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // tokens such as "<|endoftext|>" stay readable
	enc.SetIndent("", indent)
	return enc.Encode(v)
}
