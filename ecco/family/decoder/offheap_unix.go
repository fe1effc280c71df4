//go:build linux || darwin

package decoder

import (
	"os"
	"runtime"
	"sync/atomic"
	"syscall"
	"unsafe"
)

// mappedBytes is the memory offHeapFloats holds now (for tests).
var mappedBytes atomic.Int64

// offHeapFloats returns n float32 values (zeroed) in memory mapped outside Go's heap, released
// when owner becomes unreachable; ok is false when the mapping fails (the caller then uses the
// heap). owner must hold the only references to the memory that outlive a call.
func offHeapFloats[T any](owner *T, n int) (values []float32, ok bool) {
	mem, err := syscall.Mmap(-1, 0, 4*n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil, false
	}
	return floatsOf(owner, mem, 0, n), true
}

// floatsOf returns the n float32 values of the mapping mem from byte skip on, and unmaps mem
// when owner becomes unreachable.
func floatsOf[T any](owner *T, mem []byte, skip, n int) []float32 {
	mappedBytes.Add(int64(len(mem)))
	runtime.AddCleanup(owner, func(mem []byte) {
		if syscall.Munmap(mem) == nil {
			mappedBytes.Add(-int64(len(mem)))
		}
	}, mem)
	return unsafe.Slice((*float32)(unsafe.Pointer(&mem[skip])), n)
}

// fileFloats returns n float32 values mapped, copy on write, from the file at path from offset
// (a multiple of 4), released when owner becomes unreachable; ok is false when the file cannot
// be opened or mapped.
func fileFloats[T any](owner *T, path string, offset int64, n int) (values []float32, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false
	}
	defer f.Close() // the mapping outlives the descriptor
	if info, err := f.Stat(); err != nil || offset+4*int64(n) > info.Size() {
		return nil, false // a file shorter than its header said: reading reports it
	}
	page := int64(syscall.Getpagesize())
	start := offset &^ (page - 1)
	skip := int(offset - start)
	mem, err := syscall.Mmap(int(f.Fd()), start, skip+4*n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE)
	if err != nil {
		return nil, false
	}
	return floatsOf(owner, mem, skip, n), true
}
