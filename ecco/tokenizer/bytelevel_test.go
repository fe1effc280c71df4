package tokenizer

import (
	"sync"
	"testing"
	"unicode/utf8"
)

func TestByteLevelAlphabet(t *testing.T) {
	known := map[byte]rune{' ': 'Ġ', '\n': 'Ċ', '\t': 'ĉ', 'a': 'a', 0x00: 'Ā', 0x7f: 'ġ', 0xa0: 'ł', 0xad: 'Ń', 0xff: 'ÿ'}
	for b, r := range known {
		if byteToRune[b] != r {
			t.Errorf("byte 0x%02x -> %q, want %q", b, byteToRune[b], r)
		}
	}
	seen := map[rune]bool{}
	for b := range 256 {
		r := byteToRune[b]
		if seen[r] {
			t.Fatalf("rune %q used twice", r)
		}
		seen[r] = true
		back := byteLevelToBytes(string(r))
		if len(back) != 1 || back[0] != byte(b) {
			t.Errorf("byteLevelToBytes(%q) = %v, want [%d]", r, back, b)
		}
	}
	// Characters outside the alphabet are kept as UTF-8.
	if got := string(byteLevelToBytes("Ġ€")); got != " €" || !utf8.ValidString(got) {
		t.Errorf(`byteLevelToBytes("Ġ€") = %q, want " €"`, got)
	}
}

// TestConcurrentEncode shares one tokenizer (and its word cache) between
// goroutines; run with -race.
func TestConcurrentEncode(t *testing.T) {
	tok := gpt2(t)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, c := range trickyCases {
				if (i+g)%2 == 0 {
					continue
				}
				if got := tok.Encode(c.text); firstDiff(got, c.want) >= 0 {
					t.Errorf("Encode(%q) = %v, want %v", c.text, got, c.want)
				}
			}
		}()
	}
	wg.Wait()
}
