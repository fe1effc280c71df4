//go:build !unix

package safetensors

import "os"

// mapFile falls back to reading the file where there is no mmap.
func mapFile(f *os.File, size int) ([]byte, func() error, error) {
	return readWhole(f, size)
}

// dropPages does nothing where files are read rather than mapped.
func dropPages([]byte) {}
