package tokenizer

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// A matcher finds the next match in text at or after from; ok is false when
// there is none. Matches are never empty.
type matcher interface {
	find(text string, from int) (start, end int, ok bool)
}

// tile is a stretch of text that a matcher matched or skipped.
type tile struct {
	start, end int
	match      bool
}

// tiles cuts text into matched and unmatched stretches, in order.
func tiles(text string, m matcher) []tile {
	var out []tile
	for pos := 0; pos < len(text); {
		start, end, ok := m.find(text, pos)
		if !ok {
			out = append(out, tile{pos, len(text), false})
			break
		}
		if start > pos {
			out = append(out, tile{pos, start, false})
		}
		out = append(out, tile{start, end, true})
		pos = end
	}
	return out
}

// splitBehavior is what HuggingFace's Split does with each match.
type splitBehavior uint8

const (
	splitIsolated           splitBehavior = iota // the match is a piece of its own
	splitRemoved                                 // the match is dropped
	splitMergedWithPrevious                      // the match ends the piece before it
	splitMergedWithNext                          // the match starts the piece after it
	splitContiguous                              // adjacent matches form one piece
)

var splitBehaviors = map[string]splitBehavior{
	"Isolated": splitIsolated, "Removed": splitRemoved, "MergedWithPrevious": splitMergedWithPrevious,
	"MergedWithNext": splitMergedWithNext, "Contiguous": splitContiguous,
}

// splitBy emits the pieces of text cut by m with the given behavior; invert
// swaps matched and unmatched stretches first. Empty pieces are not emitted.
func splitBy(text string, m matcher, behavior splitBehavior, invert bool, emit func(string)) {
	ts := tiles(text, m)
	if invert {
		for i := range ts {
			ts[i].match = !ts[i].match
		}
	}
	var pieces []tile
	for i, t := range ts {
		prevMatch := i > 0 && ts[i-1].match
		switch {
		case !t.match:
			if behavior == splitMergedWithNext && prevMatch && len(pieces) > 0 {
				pieces[len(pieces)-1].end = t.end
				continue
			}
		case behavior == splitRemoved:
			continue
		case behavior == splitMergedWithPrevious && !prevMatch && len(pieces) > 0:
			pieces[len(pieces)-1].end = t.end
			continue
		case behavior == splitContiguous && prevMatch:
			pieces[len(pieces)-1].end = t.end
			continue
		case behavior == splitMergedWithNext && prevMatch:
			// A run of matches: each starts its own piece.
		}
		pieces = append(pieces, t)
	}
	for _, p := range pieces {
		if p.end > p.start {
			emit(text[p.start:p.end])
		}
	}
}

// scanner is a matcher for patterns whose alternatives match every character,
// so the text is tiled: it returns the end of the match starting at start.
type scanner func(text string, start int) int

func (s scanner) find(text string, from int) (int, int, bool) {
	if from >= len(text) {
		return 0, 0, false
	}
	return from, s(text, from), true
}

// literal matches a fixed string.
type literal string

func (l literal) find(text string, from int) (int, int, bool) {
	if l == "" {
		return 0, 0, false
	}
	i := strings.Index(text[from:], string(l))
	if i < 0 {
		return 0, 0, false
	}
	return from + i, from + i + len(l), true
}

// runeClass matches characters of a class, one at a time or in runs.
type runeClass struct {
	in  func(r rune) bool
	run bool
}

func (c runeClass) find(text string, from int) (int, int, bool) {
	for i := from; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !c.in(r) {
			i += size
			continue
		}
		end := i + size
		for c.run && end < len(text) {
			r, size := utf8.DecodeRuneInString(text[end:])
			if !c.in(r) {
				break
			}
			end += size
		}
		return i, end, true
	}
	return 0, 0, false
}

// goRegexp matches with Go's regexp, for patterns without lookaround; empty
// matches are skipped.
type goRegexp struct{ re *regexp.Regexp }

func (g goRegexp) find(text string, from int) (int, int, bool) {
	for from <= len(text) {
		loc := g.re.FindStringIndex(text[from:])
		if loc == nil {
			return 0, 0, false
		}
		if loc[1] > loc[0] {
			return from + loc[0], from + loc[1], true
		}
		_, size := utf8.DecodeRuneInString(text[from+loc[0]:])
		from += loc[0] + max(size, 1)
	}
	return 0, 0, false
}
