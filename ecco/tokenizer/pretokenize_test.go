package tokenizer

import (
	"slices"
	"testing"
)

// Words of GPT-2's pattern, worked out by hand from its alternatives.
func TestSplitWords(t *testing.T) {
	cases := []struct {
		text string
		want []string
	}{
		{"", nil},
		{"a  b", []string{"a", " ", " b"}},         // \s+(?!\S) leaves the last space to " b"
		{"a \n\n b", []string{"a", " \n\n", " b"}}, // ditto across newlines
		{"\t\tx", []string{"\t", "\t", "x"}},       // a lone tab before x falls to \s+
		{" \tx", []string{" ", "\t", "x"}},         // only a space prefixes a word
		{"x   ", []string{"x", "   "}},             // trailing run is whole
		{" \t \n", []string{" \t \n"}},             // all-space text is one word
		{"don't", []string{"don", "'t"}},           // contraction
		{"I'LL", []string{"I", "'", "LL"}},         // contractions are lower case only
		{"''s", []string{"''", "s"}},               // punctuation run takes both quotes
		{" 's", []string{" '", "s"}},               // " ?[^\s\p{L}\p{N}]+" wins over 's
		{"'sam", []string{"'s", "am"}},             // contraction even inside a word
		{"12345 678", []string{"12345", " 678"}},   // digits
		{"x2y3", []string{"x", "2", "y", "3"}},     // letters and digits split
		{"Ⅻ½", []string{"Ⅻ½"}},                     // Nl and No are both \p{N}
		{"Hello, world!!! ...?", []string{"Hello", ",", " world", "!!!", " ...?"}},
		{"hi 👋🏽 there", []string{"hi", " 👋🏽", " there"}},   // emoji are "other"
		{"a\u00a0b", []string{"a", "\u00a0", "b"}},         // no-break space is \s but not a prefix
		{"cafe\u0301s", []string{"cafe", "\u0301", "s"}},   // combining mark (Mn) is not \p{L}
		{"a\xffb\xc3", []string{"a", "\xff", "b", "\xc3"}}, // invalid bytes are "other"
	}
	for _, c := range cases {
		var got []string
		splitWords(c.text, func(w string) { got = append(got, w) })
		if !slices.Equal(got, c.want) {
			t.Errorf("splitWords(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}
