package tokenizer

import (
	"math/rand/v2"
	"strings"
	"testing"
)

const prompt1 = "Frameworks for Machine Learning include: 1. TensorFlow\n2. PyTorch\n3.Scikit-learn\n4."

// benchText returns about n bytes of text made of random GPT-2 tokens (fixed
// seed), so that it holds many distinct words, as real text does.
func benchText(tb testing.TB, n int) string {
	tok := gpt2(tb)
	rng := rand.New(rand.NewPCG(1, 2))
	var sb strings.Builder
	for sb.Len() < n {
		id := rng.IntN(tok.EndOfText())
		sb.WriteString(tok.Decode([]int{id}))
	}
	return sb.String()
}

func benchmarkEncode(b *testing.B, text string, cold bool) {
	tok := gpt2(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if cold {
			tok.resetCache()
		}
		tok.Encode(text)
	}
}

func BenchmarkEncodePrompt1(b *testing.B) { benchmarkEncode(b, prompt1, false) }

func BenchmarkEncodePrompt1ColdCache(b *testing.B) { benchmarkEncode(b, prompt1, true) }

func BenchmarkEncode10KB(b *testing.B) { benchmarkEncode(b, benchText(b, 10<<10), false) }

func BenchmarkEncode10KBColdCache(b *testing.B) { benchmarkEncode(b, benchText(b, 10<<10), true) }

// A 10 KB word without spaces: the worst case for BPE on one word.
func BenchmarkEncode10KBOneWord(b *testing.B) {
	benchmarkEncode(b, strings.Repeat("abcdefghij", 1<<10), false)
}

func BenchmarkLoadTokenizerJSON(b *testing.B) {
	fsys := modelFiles(b, TokenizerJSONFile)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(fsys); err != nil {
			b.Fatal(err)
		}
	}
}
