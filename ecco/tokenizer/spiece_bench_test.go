package tokenizer

import (
	"os"
	"strings"
	"testing"
)

// BenchmarkSentencePieceEncode10KB encodes about 10 KB of the training corpus (English,
// accented Latin, Greek, Cyrillic, CJK, emoji) with the nmt_nfkc model read from its .model file:
// SentencePiece segments the whole text at once, so no word cache helps.
func BenchmarkSentencePieceEncode10KB(b *testing.B) {
	tok := spmTokenizer(b, "unigram_nfkc")
	corpus, err := os.ReadFile("testdata/spm/corpus.txt")
	if err != nil {
		b.Fatal(err)
	}
	text := strings.ReplaceAll(string(corpus[len(corpus)-10<<10:]), "\n", " ")
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		tok.Encode(text)
	}
}
