package tokenizer

import (
	"strings"
	"unicode"
)

// A preTokenizer cuts normalized text into the pieces the model encodes one
// by one. first is true for the text at the very start of the input (not
// after an added token), which Metaspace's "first" scheme needs.
type preTokenizer interface {
	preTokenize(s string, first bool, emit func(piece string))
}

// byteLevelPre is HuggingFace's ByteLevel pre-tokenizer. The mapping of bytes
// to GPT-2's alphabet is left to the model, which reads raw bytes.
type byteLevelPre struct{ addPrefixSpace, useRegex bool }

func (b byteLevelPre) preTokenize(s string, _ bool, emit func(string)) {
	if b.addPrefixSpace && !strings.HasPrefix(s, " ") {
		s = " " + s
	}
	if !b.useRegex {
		emit(s)
		return
	}
	splitWords(s, emit)
}

// splitPre is HuggingFace's Split.
type splitPre struct {
	pattern  matcher
	behavior splitBehavior
	invert   bool
}

func (p splitPre) preTokenize(s string, _ bool, emit func(string)) {
	splitBy(s, p.pattern, p.behavior, p.invert, emit)
}

// Prepend schemes of Metaspace.
const (
	prependAlways = "always"
	prependFirst  = "first"
	prependNever  = "never"
)

// metaspacePre replaces spaces with a marker (▁), prepends one as its scheme
// says, and optionally splits before each marker.
type metaspacePre struct {
	replacement string
	scheme      string
	split       bool
}

func (m metaspacePre) preTokenize(s string, first bool, emit func(string)) {
	s = strings.ReplaceAll(s, " ", m.replacement)
	if (m.scheme == prependAlways || (m.scheme == prependFirst && first)) && !strings.HasPrefix(s, m.replacement) {
		s = m.replacement + s
	}
	if !m.split {
		emit(s)
		return
	}
	splitBy(s, literal(m.replacement), splitMergedWithNext, false, emit)
}

// bertPre splits at whitespace (dropped) and isolates each punctuation mark.
type bertPre struct{}

func (bertPre) preTokenize(s string, _ bool, emit func(string)) {
	splitBy(s, runeClass{in: unicode.IsSpace, run: true}, splitRemoved, false, func(word string) {
		splitBy(word, runeClass{in: isBertPunctuation}, splitIsolated, false, emit)
	})
}

// isBertPunctuation is ASCII punctuation and symbols plus Unicode P*.
func isBertPunctuation(r rune) bool {
	if (r >= 33 && r <= 47) || (r >= 58 && r <= 64) || (r >= 91 && r <= 96) || (r >= 123 && r <= 126) {
		return true
	}
	return r >= 0x80 && unicode.IsPunct(r)
}

// whitespaceSplitPre splits at whitespace, dropping it.
type whitespaceSplitPre struct{}

func (whitespaceSplitPre) preTokenize(s string, _ bool, emit func(string)) {
	splitBy(s, runeClass{in: unicode.IsSpace, run: true}, splitRemoved, false, emit)
}

// whitespacePre is HuggingFace's Whitespace: \w+|[^\w\s]+, whitespace dropped.
type whitespacePre struct{}

func (whitespacePre) preTokenize(s string, _ bool, emit func(string)) {
	splitBy(s, runeClass{in: isWordChar, run: true}, splitIsolated, false, func(piece string) {
		splitBy(piece, runeClass{in: unicode.IsSpace, run: true}, splitRemoved, false, emit)
	})
}

// isWordChar is \w: letters, marks, digits and connector punctuation.
func isWordChar(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Pc, r)
}

// digitsPre isolates digits, one by one or in runs.
type digitsPre struct{ individual bool }

func (d digitsPre) preTokenize(s string, _ bool, emit func(string)) {
	splitBy(s, runeClass{in: unicode.IsDigit, run: !d.individual}, splitIsolated, false, emit)
}

// punctuationPre splits at each punctuation character.
type punctuationPre struct{ behavior splitBehavior }

func (p punctuationPre) preTokenize(s string, _ bool, emit func(string)) {
	splitBy(s, runeClass{in: isBertPunctuation}, p.behavior, false, emit)
}

// preTokenizerSequence applies each pre-tokenizer to every piece of the one before.
type preTokenizerSequence []preTokenizer

func (seq preTokenizerSequence) preTokenize(s string, first bool, emit func(string)) {
	if len(seq) == 0 {
		emit(s)
		return
	}
	seq[0].preTokenize(s, first, func(piece string) {
		seq[1:].preTokenize(piece, first, emit)
	})
}
