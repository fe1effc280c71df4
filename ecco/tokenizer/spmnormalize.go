package tokenizer

import (
	"strings"
	"unicode/utf8"
)

// spmNormalizer is SentencePiece's own normalizer (normalizer.cc), which a spiece.model file
// configures: at each position a user-defined symbol is kept as it is, else the longest
// precompiled rule is applied, else one character is copied (an invalid byte becomes U+FFFD);
// with remove_extra_whitespaces, leading and trailing spaces go and runs of spaces become one;
// add_dummy_prefix puts a space first; escape_whitespaces writes spaces as ▁. The model then
// segments the whole result, so no pre-tokenizer runs after it.
type spmNormalizer struct {
	rules                                                *precompiled  // nil: identity
	userDefined                                          *addedMatcher // nil: none
	addDummyPrefix, removeExtraWhitespaces, escapeSpaces bool
}

// next returns the normalized form of the start of s and how many bytes of s it replaces.
func (n *spmNormalizer) next(s string) (string, int) {
	if n.userDefined != nil && n.userDefined.starts[s[0]] {
		if a, ok := n.userDefined.matchAt(s, 0); ok {
			return a.content, len(a.content)
		}
	}
	if n.rules != nil {
		if size, r := n.rules.longest(s); size > 0 {
			return r, size
		}
	}
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError && size <= 1 {
		return "\uFFFD", 1
	}
	return s[:size], size
}

func (n *spmNormalizer) normalize(s string) string {
	if n.removeExtraWhitespaces {
		for s != "" {
			r, size := n.next(s)
			if r != " " {
				break
			}
			s = s[size:]
		}
	}
	if s == "" {
		return ""
	}
	space := " "
	if n.escapeSpaces {
		space = metaspace
	}
	var sb strings.Builder
	sb.Grow(len(s) + len(space))
	if n.addDummyPrefix {
		sb.WriteString(space)
	}
	prevSpace := n.removeExtraWhitespaces
	for s != "" {
		r, size := n.next(s)
		s = s[size:]
		if prevSpace {
			r = strings.TrimLeft(r, " ")
		}
		if r != "" {
			prevSpace = n.removeExtraWhitespaces && strings.HasSuffix(r, " ")
			if n.escapeSpaces {
				r = strings.ReplaceAll(r, " ", metaspace)
			}
			sb.WriteString(r)
		}
	}
	out := sb.String()
	if n.removeExtraWhitespaces {
		for strings.HasSuffix(out, space) {
			out = out[:len(out)-len(space)]
		}
	}
	return out
}
