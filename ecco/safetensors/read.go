package safetensors

import "fmt"

// Shape returns the named tensor's dimensions, or an error when the file lacks it or its dtype
// does not convert to float32: what a loader checks before it reads anything.
func (f *File) Shape(name string) ([]int, error) {
	info, err := f.floatInfo(name)
	if err != nil {
		return nil, err
	}
	return info.Shape, nil
}

// ReadFloat32 decodes the named tensor into dst, which must hold exactly its elements: a loader
// can decode straight into the buffer the weight will live in, with no copy in between. Once
// decoded, the tensor's pages of the mapping are handed back to the kernel (see dropPages), so
// that loading a model does not keep a second copy of it resident.
func (f *File) ReadFloat32(name string, dst []float32) error {
	info, raw, err := f.floatBytes(name)
	if err != nil {
		return err
	}
	if n := info.NumElements(); len(dst) != n {
		return fmt.Errorf("safetensors: %s: tensor %q has %d elements, the destination holds %d", f.path, name, n, len(dst))
	}
	decodeFloat32(dst, raw, info.DType)
	dropPages(raw)
	return nil
}

// floatInfo is the named tensor's header entry, or an error when the file lacks it or its dtype
// does not convert to float32.
func (f *File) floatInfo(name string) (TensorInfo, error) {
	info, err := f.lookup(name)
	if err == nil && !info.DType.ConvertsToFloat32() {
		err = fmt.Errorf("safetensors: %s: tensor %q has dtype %s, expected F32, F16, BF16 or F64: %w", f.path, name, info.DType, ErrNotFloat)
	}
	return info, err
}

// floatBytes is tensorBytes for a tensor that converts to float32.
func (f *File) floatBytes(name string) (TensorInfo, []byte, error) {
	info, raw, err := f.tensorBytes(name)
	if err == nil {
		_, err = f.floatInfo(name)
	}
	return info, raw, err
}
