// Package safetensors reads and writes the safetensors tensor file format
// (https://github.com/huggingface/safetensors) in pure Go.
//
// # Format
//
// A file is an 8-byte little-endian header length N, N bytes of JSON header,
// then a data area. The header is an object mapping each tensor name to
// {"dtype", "shape", "data_offsets": [begin, end]}, plus an optional
// "__metadata__" object of strings. Offsets are bytes relative to the start
// of the data area, end exclusive; values are little-endian, row-major.
//
// # Reading
//
// Open memory-maps the file (on unix; elsewhere, or where mapping fails, it
// reads the file whole) and validates the header the way the reference
// implementation does before any tensor is touched:
//
//   - N is at most MaxHeaderSize (100 MB) and within the file;
//   - the header is UTF-8, exactly one JSON object, no name twice;
//   - every dtype is one of the specification's (DType.Known);
//   - dimensions are non-negative integers whose product does not overflow;
//   - 0 <= begin <= end <= data size, and end-begin equals the product of
//     the shape times the dtype size;
//   - the tensors tile the data area exactly: no overlaps, no holes, no
//     trailing bytes. A conforming writer never leaves holes, so one is
//     treated as corruption, as the reference implementation does.
//
// A violation is a *FormatError naming the file, the tensor and what was
// expected against what was found. ParseHeader is that validation on bytes
// alone, for callers with their own I/O, and for fuzzing.
//
// Float32 converts F32, F16, BF16 and F64 tensors to a fresh []float32
// (F64 rounds to nearest). Other dtypes are recognised but Float32 refuses
// them with an error wrapping ErrNotFloat; Bytes returns their raw bytes.
// Accessors copy out of the mapping, so their results outlive Close.
// A mapped file must not be truncated by another process while open.
//
// # Writing
//
// Write stores named float32 tensors as F32, F16 or BF16 (round to nearest,
// ties to even) with optional metadata. Output is deterministic (tensors in
// name order, header padded with spaces to 8 bytes) and atomic (temporary
// file in the same directory, fsync, rename): the final path never holds a
// partial file.
//
// # Conventions
//
// Shapes are []int, outermost dimension first; a scalar has an empty shape.
// Tensor lists (Header.Tensors, File.Names) are sorted by name. Errors start
// with "safetensors: " and the file path.
//
// # Why not go-huggingface's reader
//
// go-huggingface v0.4.3 ships models/safetensors. It was read against this package's needs and
// not adopted: it checks a tensor's byte count against its shape but not its offsets against the
// file (a header pointing past the end slices out of the mapping instead of returning an error),
// does not check that tensors tile the data area, hands tensors over in their stored dtype where
// ecco-go computes in float32 from F32, F16, BF16 or F64 files, and always makes its own GoMLX
// tensor, where ReadFloat32 decodes into the buffer the weight will live in and drops the file's
// pages as it goes (half the peak memory of loading DistilGPT2). This package also writes files
// atomically, for `ecco testmodel`.
package safetensors
