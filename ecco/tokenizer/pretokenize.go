package tokenizer

import (
	"unicode"
	"unicode/utf8"
)

// GPT-2 cuts text into words with the pattern
//
//	's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
//
// Go's regexp has no lookahead, so splitWords walks the text by hand, trying the
// alternatives in the pattern's order at each position as a backtracking engine
// would. Every character is matched by some alternative, so the words tile the
// text exactly.

// charClass is the class of a character for the pattern above.
type charClass uint8

const (
	classSpace  charClass = iota // \s (Unicode White_Space)
	classLetter                  // \p{L}
	classNumber                  // \p{N}
	classOther                   // [^\s\p{L}\p{N}], including invalid UTF-8 bytes
)

func classOf(r rune) charClass {
	if r < utf8.RuneSelf {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z':
			return classLetter
		case '0' <= r && r <= '9':
			return classNumber
		case r == ' ', '\t' <= r && r <= '\r':
			return classSpace
		}
		return classOther
	}
	switch {
	case unicode.IsLetter(r):
		return classLetter
	case unicode.IsNumber(r):
		return classNumber
	case unicode.IsSpace(r):
		return classSpace
	}
	return classOther
}

// splitWords calls emit with each word of text, in order.
func splitWords(text string, emit func(word string)) {
	for start := 0; start < len(text); {
		end := wordEnd(text, start)
		emit(text[start:end])
		start = end
	}
}

// wordEnd returns the end of the word that starts at text[start].
func wordEnd(text string, start int) int {
	r, size := utf8.DecodeRuneInString(text[start:])
	if r == '\'' {
		if n := contractionLen(text[start+1:]); n > 0 {
			return start + 1 + n
		}
	}
	class := classOf(r)
	if class != classSpace {
		return runEnd(text, start+size, class)
	}
	// " ?\p{L}+", " ?\p{N}+" and " ?[^\s\p{L}\p{N}]+" take one leading space.
	if r == ' ' && start+1 < len(text) {
		next, nextSize := utf8.DecodeRuneInString(text[start+1:])
		if nextClass := classOf(next); nextClass != classSpace {
			return runEnd(text, start+1+nextSize, nextClass)
		}
	}
	// "\s+(?!\S)": the whitespace run, less its last character when a
	// non-space follows it, so that character can prefix the next word.
	// If that leaves nothing, "\s+" takes the lone character.
	end, lastStart := start+size, start
	for end < len(text) {
		r, size := utf8.DecodeRuneInString(text[end:])
		if classOf(r) != classSpace {
			break
		}
		lastStart = end
		end += size
	}
	if end == len(text) || lastStart == start {
		return end
	}
	return lastStart
}

// runEnd returns the end of the run of characters of the given class from i.
func runEnd(text string, i int, class charClass) int {
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if classOf(r) != class {
			break
		}
		i += size
	}
	return i
}

// contractionLen returns the length of the contraction suffix ('s, 't, 're,
// 've, 'm, 'll, 'd; lower case only, as in GPT-2) that starts rest, without
// the apostrophe, or 0.
func contractionLen(rest string) int {
	if rest == "" {
		return 0
	}
	switch rest[0] {
	case 's', 't', 'm', 'd':
		return 1
	}
	if len(rest) >= 2 {
		switch rest[:2] {
		case "re", "ve", "ll":
			return 2
		}
	}
	return 0
}
