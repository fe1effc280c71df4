// Package jsonfile writes the JSON documents of the ecco command other than an Output (which
// ecco.Output.Save writes): tokenizer listings, forward logits, bench timings.
package jsonfile

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/ecco-go/ecco/ecco/atomicfile"
)

// Write encodes v to path atomically (see atomicfile): a failure at any point leaves path as
// it was. Errors name the path.
func Write(path string, v any) error {
	if err := atomicfile.Write(path, func(w io.Writer) error { return Encode(w, v) }); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// Encode writes v as JSON on one line.
func Encode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // tokens such as "<|endoftext|>" stay readable
	return enc.Encode(v)
}
