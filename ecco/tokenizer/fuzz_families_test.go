package tokenizer

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/ecco-go/ecco/ecco/tokenizer/tokenizertest"
)

// Fuzz targets for the reference tokenizers, seeded with expected.json's
// strings. Every one checks that encoding never panics and gives ids of
// tokens; where decoding is lossless it checks the round trip.

func fuzzReference(f *testing.F, name string, roundTrip func(text string) bool) {
	tok := reference(f, name)
	for _, row := range tokenizertest.Expected(f)[name] {
		f.Add(row.Text)
	}
	f.Add("\xff\xfe invalid \xc3")
	f.Fuzz(func(t *testing.T, text string) {
		ids := tok.Encode(text)
		for i, id := range ids {
			if tok.Token(id) == "" {
				t.Fatalf("Encode(%q)[%d] = %d names no token", text, i, id)
			}
		}
		withSpecial := tok.EncodeWithSpecialTokens(text)
		if len(withSpecial) < len(ids) {
			t.Fatalf("EncodeWithSpecialTokens(%q) = %v is shorter than Encode's %v", text, withSpecial, ids)
		}
		decoded := tok.DecodeLikeTransformers(withSpecial)
		if !utf8.ValidString(decoded) {
			t.Fatalf("decoding %v gave invalid UTF-8 %q", withSpecial, decoded)
		}
		for _, id := range withSpecial {
			tok.DisplayToken(id)
			tok.IsPartial(id)
		}
		if roundTrip != nil && utf8.ValidString(text) && roundTrip(text) {
			if got := tok.Decode(ids); got != text {
				t.Fatalf("Decode(Encode(%q)) = %q (ids %v)", text, got, ids)
			}
		}
	})
}

// FuzzQwen3: byte-level BPE after NFC, lossless on NFC text.
func FuzzQwen3(f *testing.F) {
	fuzzReference(f, "qwen3", norm.NFC.IsNormalString)
}

// FuzzLlama3: byte-level BPE without a normalizer, lossless on valid UTF-8.
func FuzzLlama3(f *testing.F) {
	fuzzReference(f, "llama3", func(string) bool { return true })
}

// FuzzSentencePieceBPE: byte fallback, lossless except where the text holds
// the marker ▁ itself or an added token (each stretch between added tokens
// gets its own ▁, which decodes to a space).
func FuzzSentencePieceBPE(f *testing.F) {
	fuzzReference(f, "sp-bpe-32k", func(text string) bool {
		return !strings.Contains(text, metaspace) && !strings.Contains(text, "<s>") &&
			!strings.Contains(text, "</s>") && !strings.Contains(text, "<unk>")
	})
}

// FuzzWordPiece: lower-casing and accent stripping lose information, so only
// the general checks apply.
func FuzzWordPiece(f *testing.F) {
	fuzzReference(f, "wordpiece-uncased", nil)
}
