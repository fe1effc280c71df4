package safetensors

import (
	"errors"
	"fmt"
	"strings"
)

// FormatError reports a file that breaks the safetensors format: what was
// expected and what was found, and where (file and tensor, when known).
type FormatError struct {
	Path    string // the file; empty when ParseHeader was given bytes only
	Tensor  string // the header entry at fault; empty for file-level problems
	Problem string // what was expected and what was found
	Err     error  // underlying cause (a JSON syntax error, say), or nil
}

func (e *FormatError) Error() string {
	var b strings.Builder
	b.WriteString("safetensors: ")
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	if e.Tensor != "" {
		fmt.Fprintf(&b, "tensor %q: ", e.Tensor)
	}
	b.WriteString(e.Problem)
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *FormatError) Unwrap() error { return e.Err }

// formatErrorf builds a FormatError for tensor (empty for file-level problems).
func formatErrorf(tensor, format string, args ...any) *FormatError {
	return &FormatError{Tensor: tensor, Problem: fmt.Sprintf(format, args...)}
}

// ErrNoTensor is wrapped by errors for a tensor name the file does not hold.
var ErrNoTensor = errors.New("no such tensor")

// ErrNotFloat is wrapped by File.Float32 errors for a tensor whose dtype does
// not convert to float32 (integers, booleans, 8-bit and smaller floats).
var ErrNotFloat = errors.New("dtype does not convert to float32")
