package safetensors

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"unicode/utf8"
)

// MaxHeaderSize caps the JSON header length, as the reference implementation
// does, so that a corrupt length field cannot make a reader allocate or scan
// gigabytes.
const MaxHeaderSize = 100_000_000

// lengthFieldSize is the size of the little-endian header length that opens
// every safetensors file.
const lengthFieldSize = 8

// metadataKey is the reserved header key holding the file's string metadata.
const metadataKey = "__metadata__"

// TensorInfo describes one tensor of a header. Begin and End are the
// header's data_offsets: byte offsets relative to the start of the data area
// (Header.DataStart), End exclusive.
type TensorInfo struct {
	Name  string
	DType DType
	Shape []int
	Begin int64
	End   int64
}

// NumElements is the product of Shape (1 for a scalar).
func (t TensorInfo) NumElements() int {
	n := 1
	for _, d := range t.Shape {
		n *= d
	}
	return n
}

// Header is a parsed and validated safetensors header.
type Header struct {
	Size      int64             // length of the header JSON in bytes (N)
	DataStart int64             // file offset of the data area: 8 + N
	DataSize  int64             // length of the data area in bytes
	Tensors   []TensorInfo      // sorted by name
	Metadata  map[string]string // the "__metadata__" map; nil when absent
}

// ParseHeader parses and validates the header of a safetensors file of
// fileSize bytes whose first bytes are prefix. prefix must hold at least the
// 8-byte length field and the header JSON (more is ignored); the tensor data
// itself is not read, only checked against fileSize. Every violation of the
// format is reported as a *FormatError; ParseHeader never panics and never
// reads outside prefix.
func ParseHeader(prefix []byte, fileSize int64) (*Header, error) {
	headerJSON, err := headerBytes(prefix, fileSize)
	if err != nil {
		return nil, err
	}
	h := &Header{
		Size:      int64(len(headerJSON)),
		DataStart: lengthFieldSize + int64(len(headerJSON)),
	}
	h.DataSize = fileSize - h.DataStart
	entries, err := splitHeaderObject(headerJSON)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.name == metadataKey {
			if h.Metadata, err = parseMetadata(e.raw); err != nil {
				return nil, err
			}
			continue
		}
		info, err := parseTensorInfo(e.name, e.raw, h.DataSize)
		if err != nil {
			return nil, err
		}
		h.Tensors = append(h.Tensors, info)
	}
	if err := checkLayout(h.Tensors, h.DataSize); err != nil {
		return nil, err
	}
	sort.Slice(h.Tensors, func(i, j int) bool { return h.Tensors[i].Name < h.Tensors[j].Name })
	return h, nil
}

// headerBytes checks the length field against the cap, the file size and the
// prefix, and returns the header JSON.
func headerBytes(prefix []byte, fileSize int64) ([]byte, error) {
	if fileSize < lengthFieldSize {
		return nil, formatErrorf("", "file is %d bytes, too short for the 8-byte header length (truncated or empty file?)", fileSize)
	}
	if len(prefix) < lengthFieldSize {
		return nil, formatErrorf("", "given %d header bytes, need at least the 8-byte header length", len(prefix))
	}
	n := binary.LittleEndian.Uint64(prefix[:lengthFieldSize])
	if n > MaxHeaderSize {
		return nil, formatErrorf("", "header length field is %d bytes, over the %d-byte cap (corrupt file or not safetensors)", n, MaxHeaderSize)
	}
	end := lengthFieldSize + int64(n)
	if end > fileSize {
		return nil, formatErrorf("", "header length field is %d bytes but the file has only %d bytes after it (truncated file?)", n, fileSize-lengthFieldSize)
	}
	if int64(len(prefix)) < end {
		return nil, formatErrorf("", "given %d header bytes, the header needs %d", len(prefix), end)
	}
	js := prefix[lengthFieldSize:end]
	if !utf8.Valid(js) {
		return nil, formatErrorf("", "header is not valid UTF-8")
	}
	return js, nil
}

// headerEntry is one key of the header object with its undecoded value.
type headerEntry struct {
	name string
	raw  json.RawMessage
}

// splitHeaderObject checks that js is exactly one JSON object (trailing
// whitespace allowed: writers pad the header with spaces) with distinct keys,
// and returns its entries in file order. Keys are read one by one, rather than
// into a map, so that a duplicated tensor name is reported instead of one
// definition silently winning.
func splitHeaderObject(js []byte) ([]headerEntry, error) {
	dec := json.NewDecoder(bytes.NewReader(js))
	tok, err := dec.Token()
	if err == io.EOF {
		return nil, formatErrorf("", "header is empty, expected a JSON object")
	}
	if err != nil {
		return nil, &FormatError{Problem: "header is not valid JSON", Err: err}
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, formatErrorf("", "header must be a JSON object of tensor entries, found %s", describeToken(tok))
	}
	var entries []headerEntry
	seen := make(map[string]bool)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, &FormatError{Problem: "header is not valid JSON", Err: err}
		}
		name, ok := tok.(string)
		if !ok { // unreachable with a conforming decoder; kept so a bad token can never panic
			return nil, formatErrorf("", "header object key is %s, expected a string", describeToken(tok))
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, &FormatError{Tensor: name, Problem: "value is not valid JSON", Err: err}
		}
		if seen[name] {
			return nil, formatErrorf(name, "appears twice in the header, expected each name once")
		}
		seen[name] = true
		entries = append(entries, headerEntry{name, raw})
	}
	if _, err := dec.Token(); err == io.EOF { // the closing '}'
		return nil, formatErrorf("", "header JSON ends before its object is closed (truncated header?)")
	} else if err != nil {
		return nil, &FormatError{Problem: "header is not valid JSON", Err: err}
	}
	if tok, err := dec.Token(); err != io.EOF {
		if err != nil {
			return nil, &FormatError{Problem: "unexpected bytes after the header object", Err: err}
		}
		return nil, formatErrorf("", "found %s after the header object, expected only trailing spaces", describeToken(tok))
	}
	return entries, nil
}

// describeToken names a JSON token's kind for error messages.
func describeToken(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		switch v {
		case '[':
			return "an array"
		case '{':
			return "an object"
		}
		return fmt.Sprintf("%q", string(v))
	case string:
		return fmt.Sprintf("the string %q", truncate(v, 40))
	case nil:
		return "null"
	case bool:
		return fmt.Sprintf("the boolean %v", v)
	}
	return fmt.Sprintf("the number %v", tok)
}

// truncate shortens s for inclusion in an error message.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// parseMetadata decodes the "__metadata__" value, which must be an object of
// strings.
func parseMetadata(raw json.RawMessage) (map[string]string, error) {
	raw = bytes.TrimSpace(raw)
	var m map[string]string
	if len(raw) == 0 || raw[0] != '{' {
		return nil, formatErrorf("", "%s must be an object of string values, found %s", metadataKey, truncate(string(raw), 40))
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return nil, formatErrorf("", "%s must be an object of string values, found a %s value", metadataKey, typeErr.Value)
		}
		return nil, &FormatError{Problem: metadataKey + " is not valid JSON", Err: err}
	}
	return m, nil
}
