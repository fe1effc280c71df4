//go:build unix

package safetensors

import (
	"os"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// mapFile maps size bytes of f read-only. The mapping keeps loading a large
// model cheap: pages are read on first use and shared with the page cache.
func mapFile(f *os.File, size int) ([]byte, func() error, error) {
	data, err := syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, err
	}
	return data, func() error { return syscall.Munmap(data) }, nil
}

// dropPages tells the kernel that the mapped bytes of b will not be read soon, so their pages
// leave this process's resident set (they stay in the page cache; a later read maps them again).
// Only whole pages inside b are dropped; b may be a heap slice (readWhole), for which madvise
// fails harmlessly.
//
// Why: without it, loading DistilGPT2 keeps the 328 MB file resident beside the 328 MB of weights
// decoded from it until Close.
func dropPages(b []byte) {
	page := uintptr(syscall.Getpagesize())
	if len(b) == 0 {
		return
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	first := (start+page-1)&^(page-1) - start // offsets into b of the first and past the last whole page
	last := (start+uintptr(len(b)))&^(page-1) - start
	if last <= first || last > uintptr(len(b)) {
		return
	}
	_ = unix.Madvise(b[first:last], unix.MADV_DONTNEED)
}
