package main

import (
	"github.com/ecco-go/ecco/ecco/atomicfile"

	"encoding/json"
	"fmt"
	"io"
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

// writeFileAtomic writes path atomically (see atomicfile), adding the path to errors.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	if err := atomicfile.Write(path, write); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// encodeJSON writes v as JSON, on one line unless indent is set.
func encodeJSON(w io.Writer, v any, indent string) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // tokens such as "<|endoftext|>" stay readable
	enc.SetIndent("", indent)
	return enc.Encode(v)
}
