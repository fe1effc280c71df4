package tokenizer

import (
	"strings"
	"sync"
)

// Tokenizer is a byte-level BPE tokenizer (GPT-2 family), made by Load or one
// of its variants; the zero value is not usable. It is safe for concurrent use.
type Tokenizer struct {
	tokens     []string       // id -> byte-level string; "" where no token has the id
	tokenBytes [][]byte       // id -> raw bytes; nil where no token has the id
	isAdded    []bool         // id -> whether it is an added (special) token
	ids        map[string]int // byte-level string (or added token content) -> id
	merges     map[pairKey]merge
	byteIDs    [256]int32 // id of each single-byte token
	added      []addedToken
	endOfText  int

	addPrefixSpace bool // prepend a space to each text segment that lacks one

	cacheMu sync.RWMutex
	cache   map[string][]int // word -> ids
}

// addedToken is a token matched literally in the text before BPE, such as
// <|endoftext|>.
type addedToken struct {
	content string
	id      int
}

// Cache bounds: a word longer than maxCachedWordLen bytes is not cached, and the
// cache is emptied when it reaches maxCacheEntries words.
const (
	maxCachedWordLen = 64
	maxCacheEntries  = 1 << 16
)

// endOfTextContent is GPT-2's end-of-text marker.
const endOfTextContent = "<|endoftext|>"

// Encode returns the token ids of text. Added tokens such as <|endoftext|> are
// matched first (leftmost, longest on ties), the text between them goes through
// GPT-2's pre-tokenizer and BPE. No special tokens are prepended or appended.
func (t *Tokenizer) Encode(text string) []int {
	var out []int
	t.splitAdded(text, func(segment string, addedID int) {
		if addedID >= 0 {
			out = append(out, addedID)
			return
		}
		if t.addPrefixSpace && !strings.HasPrefix(segment, " ") {
			segment = " " + segment
		}
		splitWords(segment, func(word string) {
			out = append(out, t.encodeWord(word)...)
		})
	})
	return out
}

// splitAdded calls emit for each non-empty stretch of plain text (addedID -1)
// and for each added token found in text, in order.
func (t *Tokenizer) splitAdded(text string, emit func(segment string, addedID int)) {
	if len(t.added) == 0 {
		if text != "" {
			emit(text, -1)
		}
		return
	}
	// nextAt[k] is where t.added[k] next occurs at or after pos (-1: never).
	nextAt := make([]int, len(t.added))
	for k, a := range t.added {
		nextAt[k] = strings.Index(text, a.content)
	}
	for pos := 0; pos < len(text); {
		best := -1
		for k, at := range nextAt {
			// t.added is sorted longest first, so on a tie the longest wins.
			if at >= 0 && (best < 0 || at < nextAt[best]) {
				best = k
			}
		}
		if best < 0 {
			emit(text[pos:], -1)
			return
		}
		at := nextAt[best]
		if at > pos {
			emit(text[pos:at], -1)
		}
		emit(t.added[best].content, t.added[best].id)
		pos = at + len(t.added[best].content)
		for k, a := range t.added {
			if nextAt[k] >= 0 && nextAt[k] < pos {
				nextAt[k] = indexFrom(text, a.content, pos)
			}
		}
	}
}

// indexFrom is strings.Index starting at from, with -1 for "not found".
func indexFrom(s, substr string, from int) int {
	i := strings.Index(s[from:], substr)
	if i < 0 {
		return -1
	}
	return from + i
}

// encodeWord returns the ids of one word, through the cache.
func (t *Tokenizer) encodeWord(word string) []int {
	if len(word) > maxCachedWordLen {
		return t.bpeWord(word)
	}
	t.cacheMu.RLock()
	ids, ok := t.cache[word]
	t.cacheMu.RUnlock()
	if ok {
		return ids
	}
	ids = t.bpeWord(word)
	t.cacheMu.Lock()
	if len(t.cache) >= maxCacheEntries {
		clear(t.cache)
	}
	t.cache[word] = ids
	t.cacheMu.Unlock()
	return ids
}

// resetCache empties the word cache (for benchmarks of cold encoding).
func (t *Tokenizer) resetCache() {
	t.cacheMu.Lock()
	clear(t.cache)
	t.cacheMu.Unlock()
}

// Decode returns the text of ids: the tokens' bytes joined, with each invalid
// UTF-8 sequence replaced by U+FFFD as HuggingFace's decode does. Ids that name
// no token are skipped. Decode(Encode(s)) == s for every valid UTF-8 string s.
func (t *Tokenizer) Decode(ids []int) string {
	return toValidUTF8(t.DecodeBytes(ids))
}

// DecodeBytes returns the tokens' bytes joined, exactly; ids that name no token
// are skipped. DecodeBytes(Encode(s)) equals s for every string s.
func (t *Tokenizer) DecodeBytes(ids []int) []byte {
	var out []byte
	for _, id := range ids {
		out = append(out, t.TokenBytes(id)...)
	}
	return out
}

// Token returns the vocabulary string of id in byte-level form, e.g. "Ġdog",
// or "" if no token has that id.
func (t *Tokenizer) Token(id int) string {
	if id < 0 || id >= len(t.tokens) {
		return ""
	}
	return t.tokens[id]
}

// TokenBytes returns the raw bytes of token id (" dog" for "Ġdog"), or nil if
// no token has that id. The slice must not be modified.
func (t *Tokenizer) TokenBytes(id int) []byte {
	if id < 0 || id >= len(t.tokenBytes) {
		return nil
	}
	return t.tokenBytes[id]
}

// TokenID returns the id of a byte-level token string ("Ġdog") or of an added
// token's content ("<|endoftext|>").
func (t *Tokenizer) TokenID(token string) (int, bool) {
	id, ok := t.ids[token]
	return id, ok
}

// IsSpecial reports whether id is an added token such as <|endoftext|>.
func (t *Tokenizer) IsSpecial(id int) bool {
	return id >= 0 && id < len(t.isAdded) && t.isAdded[id]
}

// VocabSize returns one more than the largest token id (50257 for GPT-2).
func (t *Tokenizer) VocabSize() int { return len(t.tokens) }

// EndOfText returns the id of <|endoftext|> (50256 for GPT-2), or -1 if the
// vocabulary has no such token.
func (t *Tokenizer) EndOfText() int { return t.endOfText }
