package tokenizer

import (
	"encoding/binary"
	"fmt"
	"math"
)

// protoReader walks the fields of one protobuf message (wire format only: tags, varints,
// fixed32/64 and length-delimited bytes). Every length is checked against what is left of the
// message, so a malformed file gives an error, never a panic or a large allocation.
type protoReader struct {
	buf  []byte
	pos  int
	base int // offset of buf in the file, for errors
}

// Wire types of the protobuf encoding.
const (
	wireVarint  = 0
	wireFixed64 = 1
	wireBytes   = 2
	wireFixed32 = 5
)

// protoError locates a malformed field: its byte offset in the file and what was expected.
type protoError struct {
	offset int
	msg    string
}

func (e *protoError) Error() string { return fmt.Sprintf("byte %d: %s", e.offset, e.msg) }

func (r *protoReader) fail(format string, args ...any) error {
	return &protoError{offset: r.base + r.pos, msg: fmt.Sprintf(format, args...)}
}

func (r *protoReader) done() bool { return r.pos >= len(r.buf) }

// next reads a field's tag.
func (r *protoReader) next() (field, wire int, err error) {
	tag, err := r.varint()
	if err != nil {
		return 0, 0, err
	}
	field, wire = int(tag>>3), int(tag&7)
	if field == 0 || tag>>3 > math.MaxInt32 {
		return 0, 0, r.fail("field number %d; expected 1 to 2^29-1", tag>>3)
	}
	return field, wire, nil
}

func (r *protoReader) varint() (uint64, error) {
	var v uint64
	for shift := uint(0); shift < 64; shift += 7 {
		if r.pos >= len(r.buf) {
			return 0, r.fail("the message ends inside a varint")
		}
		b := r.buf[r.pos]
		r.pos++
		v |= uint64(b&0x7F) << shift
		if b < 0x80 {
			return v, nil
		}
	}
	return 0, r.fail("a varint longer than 10 bytes")
}

// bytes reads a length-delimited value; the slice aliases the file.
func (r *protoReader) bytes() ([]byte, int, error) {
	n, err := r.varint()
	if err != nil {
		return nil, 0, err
	}
	if n > uint64(len(r.buf)-r.pos) {
		return nil, 0, r.fail("a length of %d bytes, but only %d remain in the message", n, len(r.buf)-r.pos)
	}
	start := r.pos
	r.pos += int(n)
	return r.buf[start:r.pos], r.base + start, nil
}

func (r *protoReader) fixed32() (uint32, error) {
	if len(r.buf)-r.pos < 4 {
		return 0, r.fail("the message ends inside a 4-byte value")
	}
	v := binary.LittleEndian.Uint32(r.buf[r.pos:])
	r.pos += 4
	return v, nil
}

// skip passes over a field this package does not use.
func (r *protoReader) skip(wire int) error {
	var err error
	switch wire {
	case wireVarint:
		_, err = r.varint()
	case wireFixed64:
		if len(r.buf)-r.pos < 8 {
			return r.fail("the message ends inside an 8-byte value")
		}
		r.pos += 8
	case wireBytes:
		_, _, err = r.bytes()
	case wireFixed32:
		_, err = r.fixed32()
	default:
		return r.fail("wire type %d (groups or invalid); expected 0, 1, 2 or 5", wire)
	}
	return err
}

// want checks a known field's wire type.
func (r *protoReader) want(name string, wire, expected int) error {
	if wire != expected {
		return r.fail("%s has wire type %d; expected %d", name, wire, expected)
	}
	return nil
}

// Typed readers for known fields: each checks the wire type first.

func (r *protoReader) readBool(name string, wire int) (bool, error) {
	v, err := r.readUint(name, wire)
	return v != 0, err
}

func (r *protoReader) readUint(name string, wire int) (uint64, error) {
	if err := r.want(name, wire, wireVarint); err != nil {
		return 0, err
	}
	return r.varint()
}

// readInt32 reads an int32 field (negative values are 10-byte varints).
func (r *protoReader) readInt32(name string, wire int) (int, error) {
	v, err := r.readUint(name, wire)
	if err != nil {
		return 0, err
	}
	if int64(v) < math.MinInt32 || int64(v) > math.MaxInt32 {
		return 0, r.fail("%s is %d; expected an int32", name, int64(v))
	}
	return int(int32(v)), nil
}

func (r *protoReader) readFloat(name string, wire int) (float32, error) {
	if err := r.want(name, wire, wireFixed32); err != nil {
		return 0, err
	}
	v, err := r.fixed32()
	return math.Float32frombits(v), err
}

// readMessage returns a reader over an embedded message.
func (r *protoReader) readMessage(name string, wire int) (*protoReader, error) {
	if err := r.want(name, wire, wireBytes); err != nil {
		return nil, err
	}
	b, start, err := r.bytes()
	return &protoReader{buf: b, base: start}, err
}

func (r *protoReader) readBytes(name string, wire int) ([]byte, error) {
	if err := r.want(name, wire, wireBytes); err != nil {
		return nil, err
	}
	b, _, err := r.bytes()
	return b, err
}

// scalarField is where a known scalar field of a message goes (one destination set).
type scalarField struct {
	name string
	int  *int
	bool *bool
	str  *string
	raw  *[]byte
}

// readSub reads an embedded message into its known scalar fields, skipping the others; a
// repeated message merges into the same variables, as protobuf merges it.
func readSub(r *protoReader, name string, wire int, fields map[int]scalarField) error {
	sub, err := r.readMessage(name, wire)
	for err == nil && !sub.done() {
		var field, wire int
		if field, wire, err = sub.next(); err == nil {
			err = sub.readScalar(field, wire, fields)
		}
	}
	return err
}

func (r *protoReader) readScalar(field, wire int, fields map[int]scalarField) error {
	f, ok := fields[field]
	var err error
	switch {
	case !ok:
		err = r.skip(wire)
	case f.int != nil:
		*f.int, err = r.readInt32(f.name, wire)
	case f.bool != nil:
		*f.bool, err = r.readBool(f.name, wire)
	case f.str != nil:
		var b []byte
		b, err = r.readBytes(f.name, wire)
		*f.str = string(b)
	default:
		*f.raw, err = r.readBytes(f.name, wire)
	}
	return err
}
