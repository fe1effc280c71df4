package tokenizer

import (
	"unicode/utf8"
)

// Go's regexp has neither lookahead nor Unicode \s, so the split patterns of
// the byte-level families are recognised by their exact text and run by
// hand-written scanners that try the alternatives in order at each position,
// as a backtracking engine would. Other patterns go to Go's regexp.

// Split patterns with a hand-written scanner.
const (
	gpt2Pattern   = `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
	llama3Pattern = `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
	qwenPattern   = `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
)

// knownScanners maps each pattern to its scanner.
var knownScanners = map[string]scanner{
	gpt2Pattern:   wordEnd,
	llama3Pattern: func(text string, start int) int { return tiktokenEnd(text, start, 3) },
	qwenPattern:   func(text string, start int) int { return tiktokenEnd(text, start, 1) },
}

// tiktokenEnd returns the end of the match at start of the Llama 3 / Qwen
// pattern, whose numbers are runs of at most maxDigits \p{N}.
func tiktokenEnd(text string, start, maxDigits int) int {
	r, size := utf8.DecodeRuneInString(text[start:])
	// (?i:'s|'t|'re|'ve|'m|'ll|'d)
	if r == '\'' {
		if n := contractionLenFold(text[start+1:]); n > 0 {
			return start + 1 + n
		}
	}
	class := classOf(r)
	next := start + size
	// [^\r\n\p{L}\p{N}]?\p{L}+
	if class == classLetter {
		return runEnd(text, next, classLetter)
	}
	if class != classNumber && r != '\r' && r != '\n' && next < len(text) {
		if r2, size2 := utf8.DecodeRuneInString(text[next:]); classOf(r2) == classLetter {
			return runEnd(text, next+size2, classLetter)
		}
	}
	// \p{N}{1,maxDigits}
	if class == classNumber {
		end := next
		for n := 1; n < maxDigits && end < len(text); n++ {
			r, size := utf8.DecodeRuneInString(text[end:])
			if classOf(r) != classNumber {
				break
			}
			end += size
		}
		return end
	}
	// " ?[^\s\p{L}\p{N}]+[\r\n]*"
	otherFrom := -1
	switch {
	case class == classOther:
		otherFrom = next
	case r == ' ' && next < len(text):
		if r2, size2 := utf8.DecodeRuneInString(text[next:]); classOf(r2) == classOther {
			otherFrom = next + size2
		}
	}
	if otherFrom >= 0 {
		end := runEnd(text, otherFrom, classOther)
		for end < len(text) && (text[end] == '\r' || text[end] == '\n') {
			end++
		}
		return end
	}
	// Only whitespace is left. "\s*[\r\n]+": up to the last \r or \n of the run.
	runStop, lastStart, lastNewline := next, start, -1
	if r == '\r' || r == '\n' {
		lastNewline = start
	}
	for runStop < len(text) {
		r, size := utf8.DecodeRuneInString(text[runStop:])
		if classOf(r) != classSpace {
			break
		}
		if r == '\r' || r == '\n' {
			lastNewline = runStop
		}
		lastStart = runStop
		runStop += size
	}
	if lastNewline >= 0 {
		return lastNewline + 1
	}
	// "\s+(?!\S)", then "\s+" for a lone space before a non-space.
	if runStop == len(text) || lastStart == start {
		return runStop
	}
	return lastStart
}

// contractionLenFold is contractionLen ignoring ASCII case.
func contractionLenFold(rest string) int {
	if rest == "" {
		return 0
	}
	switch rest[0] | 0x20 {
	case 's', 't', 'm', 'd':
		return 1
	}
	if len(rest) >= 2 {
		switch string([]byte{rest[0] | 0x20, rest[1] | 0x20}) {
		case "re", "ve", "ll":
			return 2
		}
	}
	return 0
}
