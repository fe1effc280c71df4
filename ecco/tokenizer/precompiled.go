package tokenizer

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strings"
	"unicode/utf8"
)

// precompiled is SentencePiece's compiled normalisation rules (nmt_nfkc and the like), as
// HuggingFace's Precompiled normalizer carries them: a map from byte strings to their
// replacements, stored as a double-array trie (darts-clone) over the sources followed by the
// NUL-terminated replacements. At each position the longest source that matches is replaced;
// where none matches, one character is copied, as SentencePiece's normalizer does.
type precompiled struct {
	units       []uint32 // the trie
	replacement []byte   // NUL-terminated replacements, indexed by the trie's values
}

// parsePrecompiled decodes precompiled_charsmap: base64 of <trie size, u32 LE><trie><strings>.
func parsePrecompiled(charsmap, where string) (*precompiled, error) {
	blob, err := base64.StdEncoding.DecodeString(charsmap)
	if err != nil {
		return nil, fmt.Errorf("%s.precompiled_charsmap: %w; expected base64", where, err)
	}
	return parseCharsmap(blob, where)
}

// parseCharsmap reads the decoded precompiled_charsmap (as a SentencePiece model stores it).
func parseCharsmap(blob []byte, where string) (*precompiled, error) {
	if len(blob) == 0 { // an identity normalisation
		return &precompiled{}, nil
	}
	if len(blob) < 4 {
		return nil, fmt.Errorf("%s.precompiled_charsmap is %d bytes; expected a 4-byte trie size first", where, len(blob))
	}
	size := binary.LittleEndian.Uint32(blob)
	if size%4 != 0 || uint64(size) > uint64(len(blob)-4) {
		return nil, fmt.Errorf("%s.precompiled_charsmap: trie size %d does not fit its %d bytes", where, size, len(blob))
	}
	p := &precompiled{units: make([]uint32, size/4), replacement: blob[4+size:]}
	for i := range p.units {
		p.units[i] = binary.LittleEndian.Uint32(blob[4+4*i:])
	}
	return p, nil
}

// darts-clone's unit fields.
func hasLeaf(u uint32) bool      { return (u>>8)&1 == 1 }
func unitValue(u uint32) uint32  { return u & (1<<31 - 1) }
func unitLabel(u uint32) uint32  { return u & (1<<31 | 0xFF) }
func unitOffset(u uint32) uint32 { return (u >> 10) << ((u & (1 << 9)) >> 6) }

// longest returns the length and replacement of the longest source that s starts with (0 when
// none does). A trie that points outside itself ends the search: the map is untrusted input.
func (p *precompiled) longest(s string) (int, string) {
	if len(p.units) == 0 {
		return 0, ""
	}
	length, value := 0, uint32(0)
	pos := unitOffset(p.units[0])
	for i := 0; i < len(s) && s[i] != 0; i++ {
		c := uint32(s[i])
		pos ^= c
		if int(pos) >= len(p.units) || unitLabel(p.units[pos]) != c {
			break
		}
		unit := p.units[pos]
		pos ^= unitOffset(unit)
		if int(pos) >= len(p.units) {
			break
		}
		if hasLeaf(unit) {
			length, value = i+1, unitValue(p.units[pos])
		}
	}
	if length == 0 || int(value) >= len(p.replacement) {
		return 0, ""
	}
	r := p.replacement[value:]
	if end := bytes.IndexByte(r, 0); end >= 0 {
		r = r[:end]
	}
	return length, string(r)
}

func (p *precompiled) normalize(s string) string {
	var sb strings.Builder
	for len(s) > 0 {
		if n, r := p.longest(s); n > 0 {
			sb.WriteString(r)
			s = s[n:]
			continue
		}
		_, size := utf8.DecodeRuneInString(s)
		sb.WriteString(s[:size])
		s = s[size:]
	}
	return sb.String()
}
