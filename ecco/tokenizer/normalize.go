package tokenizer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// A normalizer rewrites each stretch of text between added tokens before it is
// pre-tokenized, as HuggingFace's normalizers do (offsets are not tracked).
type normalizer interface {
	normalize(s string) string
}

// unicodeForm is NFC, NFD, NFKC or NFKD.
type unicodeForm struct{ form norm.Form }

func (u unicodeForm) normalize(s string) string { return u.form.String(s) }

// lowercase lowers each code point on its own, as HuggingFace does
// (strings.ToLower has no Final_Sigma rule).
type lowercase struct{}

func (lowercase) normalize(s string) string { return strings.ToLower(s) }

// prepend puts a fixed string before every non-empty stretch of text.
type prepend struct{ prefix string }

func (p prepend) normalize(s string) string {
	if s == "" {
		return s
	}
	return p.prefix + s
}

// replace substitutes every occurrence of a literal string or a pattern.
type replace struct {
	old, new string
	pattern  matcher // nil for a literal
}

func (r replace) normalize(s string) string {
	if r.pattern == nil {
		return strings.ReplaceAll(s, r.old, r.new)
	}
	var sb strings.Builder
	for _, t := range tiles(s, r.pattern) {
		if t.match {
			sb.WriteString(r.new)
		} else {
			sb.WriteString(s[t.start:t.end])
		}
	}
	return sb.String()
}

// strip removes Unicode whitespace from either end.
type strip struct{ left, right bool }

func (st strip) normalize(s string) string {
	if st.left {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
	}
	if st.right {
		s = strings.TrimRightFunc(s, unicode.IsSpace)
	}
	return s
}

// stripAccents decomposes (NFD) and drops nonspacing marks (Mn).
type stripAccents struct{}

func (stripAccents) normalize(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) {
			return -1
		}
		return r
	}, norm.NFD.String(s))
}

// normalizerSequence applies its normalizers in order.
type normalizerSequence []normalizer

func (seq normalizerSequence) normalize(s string) string {
	for _, n := range seq {
		s = n.normalize(s)
	}
	return s
}

// bertNormalizer is BERT's cleaner: drop control and format characters,
// turn whitespace into spaces, pad CJK ideographs with spaces, then
// lowercase and strip accents.
type bertNormalizer struct {
	cleanText, chineseChars, lowercase, stripAccents bool
}

func (b bertNormalizer) normalize(s string) string {
	if b.cleanText || b.chineseChars {
		var sb strings.Builder
		sb.Grow(len(s))
		for _, r := range s {
			switch {
			case b.cleanText && (r == 0 || r == unicode.ReplacementChar || isBertControl(r)):
			case b.cleanText && isBertWhitespace(r):
				sb.WriteByte(' ')
			case b.chineseChars && isCJKIdeograph(r):
				sb.WriteByte(' ')
				sb.WriteRune(r)
				sb.WriteByte(' ')
			default:
				sb.WriteRune(r)
			}
		}
		s = sb.String()
	}
	// The order of transformers' BertTokenizer: lower, then strip accents.
	if b.lowercase {
		s = strings.ToLower(s)
	}
	if b.stripAccents {
		s = stripAccents{}.normalize(s)
	}
	return s
}

// isBertWhitespace is HuggingFace's BERT whitespace: \t \n \r and White_Space.
func isBertWhitespace(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || unicode.Is(unicode.White_Space, r)
}

// isBertControl is a character of category C (Cc, Cf, Co, Cs, Cn) other than
// \t \n \r, which BERT's cleaner removes.
func isBertControl(r rune) bool {
	if r < utf8.RuneSelf {
		return (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f
	}
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cs) || !isAssigned(r)
}

// isAssigned reports whether r has a general category (is not Cn).
func isAssigned(r rune) bool {
	return unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.C)
}

// isCJKIdeograph is BERT's "Chinese character" ranges.
func isCJKIdeograph(r rune) bool {
	return (r >= 0x4E00 && r <= 0x9FFF) || (r >= 0x3400 && r <= 0x4DBF) ||
		(r >= 0x20000 && r <= 0x2A6DF) || (r >= 0x2A700 && r <= 0x2B73F) ||
		(r >= 0x2B740 && r <= 0x2B81F) || (r >= 0x2B820 && r <= 0x2CEAF) ||
		(r >= 0xF900 && r <= 0xFAFF) || (r >= 0x2F800 && r <= 0x2FA1F)
}
