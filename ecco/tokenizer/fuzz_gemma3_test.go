package tokenizer

import (
	"strings"
	"testing"
)

// FuzzGemma3: SentencePiece BPE with byte fallback and no Prepend or Strip,
// lossless except where the text holds the marker ▁ itself (it decodes to a
// space) or the text of a special token such as <bos> (Decode drops those;
// "<" keeps clear of all of them).
func FuzzGemma3(f *testing.F) {
	fuzzReference(f, "gemma3", func(text string) bool {
		return !strings.Contains(text, metaspace) && !strings.Contains(text, "<")
	})
}
