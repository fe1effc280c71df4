package safetensors

import (
	"errors"
	"fmt"
	"math"
	"os"
)

// File is an open safetensors file. Its data stays memory-mapped (where the
// platform allows) until Close; the accessors copy out of the mapping, so
// their results stay valid after Close. The accessors may be called from
// several goroutines at once, but not concurrently with Close.
type File struct {
	path    string
	data    []byte // the whole file: length field, header, data area
	release func() error
	header  *Header
	index   map[string]int // name -> position in header.Tensors
}

// Open maps the file at path and validates its header (see ParseHeader).
// A bad file yields a *FormatError naming path.
func Open(path string) (*File, error) {
	osFile, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	defer osFile.Close() // a mapping outlives its descriptor
	stat, err := osFile.Stat()
	if err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	size := stat.Size()
	if !stat.Mode().IsRegular() {
		return nil, fmt.Errorf("safetensors: %s is not a regular file", path)
	}
	if size < lengthFieldSize {
		return nil, &FormatError{Path: path, Problem: fmt.Sprintf(
			"file is %d bytes, too short for the 8-byte header length (truncated or empty file?)", size)}
	}
	if size > math.MaxInt {
		return nil, fmt.Errorf("safetensors: %s is %d bytes, more than this platform can address", path, size)
	}
	data, release, err := mapFile(osFile, int(size))
	if err != nil { // some filesystems cannot map; reading is slower but works
		data, release, err = readWhole(osFile, int(size))
	}
	if err != nil {
		return nil, fmt.Errorf("safetensors: reading %s: %w", path, err)
	}
	header, err := ParseHeader(data, size)
	if err != nil {
		_ = release()
		var formatErr *FormatError
		if errors.As(err, &formatErr) {
			formatErr.Path = path
		}
		return nil, err
	}
	f := &File{path: path, data: data, release: release, header: header, index: make(map[string]int, len(header.Tensors))}
	for i, t := range header.Tensors {
		f.index[t.Name] = i
	}
	return f, nil
}

// Close releases the mapping. Closing twice is harmless.
func (f *File) Close() error {
	if f.release == nil {
		return nil
	}
	err := f.release()
	f.release, f.data = nil, nil
	if err != nil {
		return fmt.Errorf("safetensors: closing %s: %w", f.path, err)
	}
	return nil
}

// Path is the path the file was opened with.
func (f *File) Path() string { return f.path }

// Header is the parsed header. It is shared, not copied: do not modify it.
func (f *File) Header() *Header { return f.header }

// Names lists the tensor names in sorted order.
func (f *File) Names() []string {
	names := make([]string, len(f.header.Tensors))
	for i, t := range f.header.Tensors {
		names[i] = t.Name
	}
	return names
}

// Info describes the named tensor; ok is false if the file has none.
func (f *File) Info(name string) (info TensorInfo, ok bool) {
	i, ok := f.index[name]
	if !ok {
		return TensorInfo{}, false
	}
	info = f.header.Tensors[i]
	info.Shape = append([]int(nil), info.Shape...)
	return info, true
}

// Metadata returns a copy of the "__metadata__" map (nil when absent).
func (f *File) Metadata() map[string]string {
	if f.header.Metadata == nil {
		return nil
	}
	m := make(map[string]string, len(f.header.Metadata))
	for k, v := range f.header.Metadata {
		m[k] = v
	}
	return m
}

// Bytes returns a copy of the named tensor's raw little-endian bytes, for
// dtypes that Float32 does not convert.
func (f *File) Bytes(name string) ([]byte, TensorInfo, error) {
	info, raw, err := f.tensorBytes(name)
	if err != nil {
		return nil, info, err
	}
	return append([]byte(nil), raw...), info, nil
}

// Float32 returns the named tensor converted to float32, with its shape.
// F32, F16, BF16 and F64 convert (F64 rounds to nearest); any other dtype is
// an error wrapping ErrNotFloat.
func (f *File) Float32(name string) ([]float32, []int, error) {
	info, raw, err := f.floatBytes(name)
	if err != nil {
		return nil, nil, err
	}
	values := make([]float32, info.NumElements())
	decodeFloat32(values, raw, info.DType)
	return values, info.Shape, nil
}

// lookup is the named tensor's header entry, or an error wrapping ErrNoTensor.
func (f *File) lookup(name string) (TensorInfo, error) {
	info, ok := f.Info(name)
	if !ok {
		return info, fmt.Errorf("safetensors: %s: tensor %q (the file holds %d tensors): %w",
			f.path, name, len(f.header.Tensors), ErrNoTensor)
	}
	return info, nil
}

// tensorBytes locates the named tensor's bytes inside the mapping.
func (f *File) tensorBytes(name string) (TensorInfo, []byte, error) {
	if f.data == nil {
		return TensorInfo{}, nil, fmt.Errorf("safetensors: %s: reading tensor %q after Close", f.path, name)
	}
	info, err := f.lookup(name)
	if err != nil {
		return info, nil, err
	}
	// ParseHeader guaranteed DataStart+End <= len(f.data).
	start := f.header.DataStart
	return info, f.data[start+info.Begin : start+info.End], nil
}
