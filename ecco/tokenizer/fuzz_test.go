package tokenizer

import (
	"testing"
	"unicode/utf8"
)

// FuzzRoundTrip checks that decoding an encoding gives the text back: exactly
// for DecodeBytes on any string, and for Decode on valid UTF-8. The seed corpus
// is in testdata/fuzz/FuzzRoundTrip.
func FuzzRoundTrip(f *testing.F) {
	tok := gpt2(f)
	f.Fuzz(func(t *testing.T, text string) {
		ids := tok.Encode(text)
		for i, id := range ids {
			if tok.Token(id) == "" {
				t.Fatalf("Encode(%q)[%d] = %d names no token", text, i, id)
			}
		}
		if got := string(tok.DecodeBytes(ids)); got != text {
			t.Fatalf("DecodeBytes(Encode(%q)) = %q (ids %v)", text, got, ids)
		}
		if utf8.ValidString(text) {
			if got := tok.Decode(ids); got != text {
				t.Fatalf("Decode(Encode(%q)) = %q (ids %v)", text, got, ids)
			}
		}
		// Encoding again (now from the word cache) gives the same ids.
		if again := tok.Encode(text); firstDiff(again, ids) >= 0 {
			t.Fatalf("Encode(%q) gave %v, then %v", text, ids, again)
		}
	})
}
