package tokenizer

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/ecco/tokenizer/tokenizertest"
)

// mixedText returns about n bytes of mixed text: expected.json's strings
// (prose, code, numbers, many scripts, emoji, whitespace runs) in a random
// order with a fixed seed, each followed by a newline.
func mixedText(tb testing.TB, n int) string {
	rows := tokenizertest.Expected(tb)["qwen3"]
	rng := rand.New(rand.NewPCG(3, 4))
	var sb strings.Builder
	for sb.Len() < n {
		sb.WriteString(rows[rng.IntN(len(rows))].Text)
		sb.WriteByte('\n')
	}
	return sb.String()
}

// BenchmarkEncode1MB tokenises 1 MB of mixed text with each tokenizer,
// starting each pass with an empty word cache; the MB/s column is the speed.
//
//	go test ./ecco/tokenizer/ -run XXX -bench Encode1MB
func BenchmarkEncode1MB(b *testing.B) {
	text := mixedText(b, 1<<20)
	tokenizers := []struct {
		name string
		load func(testing.TB) *Tokenizer
	}{{"gpt2", gpt2}}
	for _, name := range tokenizertest.Names {
		tokenizers = append(tokenizers, struct {
			name string
			load func(testing.TB) *Tokenizer
		}{name, func(tb testing.TB) *Tokenizer { return reference(tb, name) }})
	}
	for _, bt := range tokenizers {
		b.Run(bt.name, func(b *testing.B) {
			tok := bt.load(b)
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				tok.resetCache()
				tok.Encode(text)
			}
		})
	}
}

// BenchmarkLoadReference loads each reference tokenizer.json.
func BenchmarkLoadReference(b *testing.B) {
	for _, name := range tokenizertest.Names {
		b.Run(name, func(b *testing.B) {
			fsys := tokenizertest.Files(b, name)
			for b.Loop() {
				if _, err := Load(fsys); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
