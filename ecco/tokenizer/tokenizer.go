package tokenizer

import (
	"sync"
	"unicode/utf8"
)

// Tokenizer encodes text to token ids and back, as HuggingFace's tokenizers
// do for the tokenizer.json it was loaded from. Make one with Load or one of
// its variants; the zero value is not usable. It is safe for concurrent use.
type Tokenizer struct {
	tokens     []string       // id -> vocabulary string ("Ġdog", "▁dog", "##s"); "" where no token has the id
	tokenBytes [][]byte       // id -> the bytes it stands for (" dog", "s"); nil where no token has the id
	special    []bool         // id -> whether it is a special added token
	isAdded    []bool         // id -> whether it is an added token, special or not
	ids        map[string]int // vocabulary string (or added token content) -> id
	family     family         // how token strings spell their text

	raw        *addedMatcher // added tokens matched in the raw text
	normalized *addedMatcher // added tokens matched in the normalized text
	normalizer normalizer    // nil: none
	pre        preTokenizer  // nil: each stretch of text is one word
	model      wordModel
	post       postProcessor // nil: no special tokens added
	decoder    decoder       // nil: token strings joined
	bpe        *bpeModel     // the model when it is BPE, else nil

	validUTF8 bool // replace invalid UTF-8 before encoding (all but plain byte-level)
	cleanUp   bool // tokenizer_config.json's clean_up_tokenization_spaces
	endOfText int

	cacheMu sync.RWMutex
	cache   map[string][]int // word -> ids
}

// wordModel encodes one pre-tokenized word, appending its ids to out.
type wordModel interface {
	encodeWord(word string, out []int) []int
}

// Cache bounds: a word longer than maxCachedWordLen bytes is not cached, and the
// cache is emptied when it reaches maxCacheEntries words.
const (
	maxCachedWordLen = 64
	maxCacheEntries  = 1 << 16
)

// endOfTextContent is GPT-2's end-of-text marker.
const endOfTextContent = "<|endoftext|>"

// Encode returns the token ids of text without the special tokens the
// post-processor adds (HuggingFace's add_special_tokens=False). Added tokens
// written in the text, such as <|endoftext|>, are matched first and become
// their ids; the text between them is normalized, pre-tokenized and encoded
// by the model. Invalid UTF-8 reaches a byte-level tokenizer without a
// normalizer as bytes; the others see each invalid sequence as U+FFFD.
func (t *Tokenizer) Encode(text string) []int {
	if t.validUTF8 && !utf8.ValidString(text) {
		text = toValidUTF8([]byte(text))
	}
	out := []int{}
	first := true
	t.raw.split(text, func(segment string, addedID int) {
		if addedID >= 0 {
			out = append(out, addedID)
			first = false
			return
		}
		if t.normalizer != nil {
			segment = t.normalizer.normalize(segment)
		}
		t.normalized.split(segment, func(piece string, addedID int) {
			if addedID >= 0 {
				out = append(out, addedID)
			} else {
				out = t.encodeSegment(piece, first, out)
			}
		})
		first = false
	})
	return out
}

// EncodeWithSpecialTokens is Encode plus the special tokens the file's
// post-processor adds, as HuggingFace's encode does by default: [CLS] … [SEP]
// for BERT, <s> … for SentencePiece BPE, nothing for GPT-2, Llama 3 (as
// shipped without TemplateProcessing) and Qwen.
func (t *Tokenizer) EncodeWithSpecialTokens(text string) []int {
	return t.AddSpecialTokens(t.Encode(text))
}

// AddSpecialTokens adds to ids (from Encode) the special tokens the file's post-processor adds;
// ids itself is left as it was.
func (t *Tokenizer) AddSpecialTokens(ids []int) []int {
	if t.post == nil {
		return ids
	}
	return t.post.addSpecial(ids)
}

// encodeSegment pre-tokenizes a normalized stretch of text and encodes each word.
func (t *Tokenizer) encodeSegment(segment string, first bool, out []int) []int {
	if t.pre == nil {
		if segment != "" {
			out = t.encodeWord(segment, out)
		}
		return out
	}
	t.pre.preTokenize(segment, first, func(word string) {
		if word != "" {
			out = t.encodeWord(word, out)
		}
	})
	return out
}

// encodeWord appends the ids of one word, through the cache.
func (t *Tokenizer) encodeWord(word string, out []int) []int {
	if len(word) > maxCachedWordLen {
		return t.model.encodeWord(word, out)
	}
	t.cacheMu.RLock()
	ids, ok := t.cache[word]
	t.cacheMu.RUnlock()
	if ok {
		return append(out, ids...)
	}
	ids = t.model.encodeWord(word, nil)
	t.cacheMu.Lock()
	if len(t.cache) >= maxCacheEntries {
		clear(t.cache)
	}
	t.cache[word] = ids
	t.cacheMu.Unlock()
	return append(out, ids...)
}

// resetCache empties the word cache (for benchmarks of cold encoding).
func (t *Tokenizer) resetCache() {
	t.cacheMu.Lock()
	clear(t.cache)
	t.cacheMu.Unlock()
}
