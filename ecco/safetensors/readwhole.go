package safetensors

import (
	"fmt"
	"io"
)

// readWhole reads exactly size bytes from r: the fallback for platforms
// without mmap. The size comes from Stat, so the read is bounded; a file
// that shrank meanwhile is reported rather than half read.
func readWhole(r io.Reader, size int) ([]byte, func() error, error) {
	data := make([]byte, size)
	if _, err := io.ReadFull(r, data); err != nil {
		return nil, nil, fmt.Errorf("reading %d bytes: %w", size, err)
	}
	return data, func() error { return nil }, nil
}
