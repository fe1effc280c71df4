package tokenizer

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// addedToken is a token matched literally in the text before the model, such
// as <|endoftext|> or [MASK]. The flags are HuggingFace's AddedToken fields.
type addedToken struct {
	content    string
	id         int
	special    bool
	lstrip     bool // also swallow the whitespace before it
	rstrip     bool // also swallow the whitespace after it
	singleWord bool // match only where no word character touches it
	normalized bool // match in the normalized text rather than the raw text
}

// addedMatcher finds added tokens, leftmost first and longest on ties.
type addedMatcher struct {
	tokens []addedToken // longest first
	starts [256]bool    // first bytes of the contents
}

func newAddedMatcher(tokens []addedToken) *addedMatcher {
	if len(tokens) == 0 {
		return nil
	}
	m := &addedMatcher{tokens: tokens}
	sort.SliceStable(m.tokens, func(i, j int) bool { return len(m.tokens[i].content) > len(m.tokens[j].content) })
	for _, a := range tokens {
		m.starts[a.content[0]] = true
	}
	return m
}

// split calls emit for each non-empty stretch of plain text (addedID -1) and
// each added token in text, in order.
func (m *addedMatcher) split(text string, emit func(segment string, addedID int)) {
	if m == nil {
		if text != "" {
			emit(text, -1)
		}
		return
	}
	pos := 0 // start of the text not yet emitted
	for i := 0; i < len(text); i++ {
		if !m.starts[text[i]] {
			continue
		}
		a, ok := m.matchAt(text, i)
		if !ok {
			continue
		}
		start, end := i, i+len(a.content)
		if a.lstrip {
			start = pos + len(strings.TrimRightFunc(text[pos:start], unicode.IsSpace))
		}
		if a.rstrip {
			end = len(text) - len(strings.TrimLeftFunc(text[end:], unicode.IsSpace))
		}
		if start > pos {
			emit(text[pos:start], -1)
		}
		emit(a.content, a.id)
		pos = end
		i = end - 1
	}
	if pos < len(text) {
		emit(text[pos:], -1)
	}
}

// matchAt returns the longest added token at text[i:] that may match there.
func (m *addedMatcher) matchAt(text string, i int) (addedToken, bool) {
	for _, a := range m.tokens {
		if !strings.HasPrefix(text[i:], a.content) {
			continue
		}
		if a.singleWord && !standsAlone(text, i, i+len(a.content)) {
			continue
		}
		return a, true
	}
	return addedToken{}, false
}

// standsAlone reports whether text[start:end] has no word character on either side.
func standsAlone(text string, start, end int) bool {
	before, _ := utf8.DecodeLastRuneInString(text[:start])
	after, _ := utf8.DecodeRuneInString(text[end:])
	return !(start > 0 && isWordChar(before)) && !(end < len(text) && isWordChar(after))
}
