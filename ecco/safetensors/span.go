package safetensors

import (
	"encoding/binary"
	"unsafe"
)

// Float32Span says where the named tensor's values lie in its file when they lie there as a
// float32 array of this machine: dtype F32 on a little-endian machine. A loader may then map
// the file's bytes instead of decoding them. ok is false for any other tensor, or when the file
// lacks it.
func (f *File) Float32Span(name string) (path string, offset int64, ok bool) {
	info, err := f.lookup(name)
	if err != nil || info.DType != F32 || !littleEndian() {
		return "", 0, false
	}
	return f.path, f.header.DataStart + info.Begin, true
}

// Float32Span is File.Float32Span in the shard holding name.
func (s *Set) Float32Span(name string) (path string, offset int64, ok bool) {
	f, err := s.file(name)
	if err != nil {
		return "", 0, false
	}
	return f.Float32Span(name)
}

// littleEndian reports whether this machine stores numbers as safetensors does.
func littleEndian() bool {
	one := uint16(1)
	return binary.LittleEndian.Uint16(unsafe.Slice((*byte)(unsafe.Pointer(&one)), 2)) == 1
}
