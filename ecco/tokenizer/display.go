package tokenizer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// family is how a vocabulary spells the text of its tokens, which decides
// TokenBytes, DisplayToken and IsPartial (Ecco's token_prefix and
// partial_token_prefix).
type family uint8

const (
	familyPlain     family = iota // token strings are their text
	familyByteLevel               // GPT-2's byte alphabet: "Ġdog" is " dog"
	familyMetaspace               // SentencePiece: "▁dog" is " dog", "<0xE2>" the byte 0xE2
	familyWordPiece               // BERT: "##s" continues a word, "dog" starts one
)

// metaspace is SentencePiece's word marker, U+2581.
const metaspace = "\u2581"

// wordPiecePrefix is BERT's continuation marker.
const wordPiecePrefix = "##"

// textBytes returns the bytes a vocabulary token stands for in family f.
func (f family) textBytes(tok string) []byte {
	switch f {
	case familyByteLevel:
		return byteLevelToBytes(tok)
	case familyMetaspace:
		if b, ok := parseByteToken(tok); ok {
			return []byte{b}
		}
		return []byte(strings.ReplaceAll(tok, metaspace, " "))
	case familyWordPiece:
		return []byte(strings.TrimPrefix(tok, wordPiecePrefix))
	}
	return []byte(tok)
}

// DisplayToken returns the text Ecco shows for token id: its bytes as text
// (TokenBytes), so "Ġdog" and "▁dog" are " dog", "Ċ" is "\n" and "##s" is
// "s"; an added token shows its content. A token whose bytes are not valid
// UTF-8 on their own (byte-level vocabularies split many emoji and CJK
// characters across tokens; byte-fallback tokens are single bytes) shows
// U+FFFD for each invalid sequence, as HuggingFace's tokenizer.decode([id])
// does: the first half of "👋" is "�". To show such a character whole, decode
// the run of tokens together (Decode on a token and the partial tokens that
// follow it). Unknown ids give "".
func (t *Tokenizer) DisplayToken(id int) string {
	return toValidUTF8(t.TokenBytes(id))
}

// IsPartial reports whether token id continues the text before it rather than
// starting a new word, as Ecco's partial_token_prefix rule does. For
// byte-level and SentencePiece vocabularies a token is partial when its bytes
// do not begin with whitespace (" dog" and "\n" start words; "ensor", "." and
// byte-fallback or split-emoji tails do not); for WordPiece when it starts
// with "##". Widgets join a partial token to the one before it. Added tokens
// and unknown ids are not partial. The answer ignores context: the first token
// of a text is partial by this rule when it has no leading space.
func (t *Tokenizer) IsPartial(id int) bool {
	b := t.TokenBytes(id)
	if len(b) == 0 || t.IsSpecial(id) || t.isAdded[id] {
		return false
	}
	if t.family == familyWordPiece {
		return strings.HasPrefix(t.tokens[id], wordPiecePrefix)
	}
	r, _ := utf8.DecodeRune(b)
	return !unicode.IsSpace(r)
}

// toValidUTF8 converts b to a string, replacing each maximal invalid
// subsequence (Unicode's "substitution of maximal subparts", which Python's
// errors="replace" and Rust's from_utf8_lossy both follow) by one U+FFFD.
// strings.ToValidUTF8 differs: it merges adjacent invalid sequences into one.
func toValidUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	out := make([]byte, 0, len(b)+8)
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r != utf8.RuneError || size > 1 {
			out = append(out, b[i:i+size]...)
			i += size
			continue
		}
		out = utf8.AppendRune(out, utf8.RuneError)
		i += maximalSubpartLen(b[i:])
	}
	return string(out)
}

// maximalSubpartLen returns the length of the invalid sequence at the start of
// b: a valid lead byte and the continuation bytes that could still follow it,
// or a single byte that cannot start any character.
func maximalSubpartLen(b []byte) int {
	lead := b[0]
	var need int                     // continuation bytes a full character would have
	lo, hi := byte(0x80), byte(0xbf) // allowed range of the first continuation byte
	switch {
	case 0xc2 <= lead && lead <= 0xdf:
		need = 1
	case lead == 0xe0:
		need, lo = 2, 0xa0
	case 0xe1 <= lead && lead <= 0xec, lead == 0xee, lead == 0xef:
		need = 2
	case lead == 0xed:
		need, hi = 2, 0x9f
	case lead == 0xf0:
		need, lo = 3, 0x90
	case 0xf1 <= lead && lead <= 0xf3:
		need = 3
	case lead == 0xf4:
		need, hi = 3, 0x8f
	default:
		return 1
	}
	n := 1
	if n < len(b) && lo <= b[n] && b[n] <= hi {
		n++
		for n <= need && n < len(b) && 0x80 <= b[n] && b[n] <= 0xbf {
			n++
		}
	}
	return n
}
