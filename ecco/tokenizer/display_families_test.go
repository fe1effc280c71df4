package tokenizer

import (
	"slices"
	"testing"
)

// displayCase is what the widgets get for one token.
type displayCase struct {
	token, display string
	partial        bool
}

// checkDisplay encodes text and compares each token's display string and
// partial flag, in order.
func checkDisplay(t *testing.T, name, text string, special bool, want []displayCase) {
	t.Helper()
	tok := reference(t, name)
	ids := tok.Encode(text)
	if special {
		ids = tok.EncodeWithSpecialTokens(text)
	}
	var got []displayCase
	for _, id := range ids {
		got = append(got, displayCase{tok.Token(id), tok.DisplayToken(id), tok.IsPartial(id)})
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s: %q displays as\n%+v\nwant\n%+v", name, text, got, want)
	}
}

func TestDisplaySentencePiece(t *testing.T) {
	checkDisplay(t, "sp-bpe-32k", "Hello world", true, []displayCase{
		{"<s>", "<s>", false}, {"▁Hello", " Hello", false}, {"▁world", " world", false},
	})
	// "🤗" is not in the vocabulary: four byte-fallback tokens, each shown as
	// the byte it stands for (alone, an incomplete UTF-8 sequence: U+FFFD),
	// and partial, so joining them restores the emoji.
	checkDisplay(t, "sp-bpe-32k", "a🤗", false, []displayCase{
		{"▁a", " a", false}, {"<0xF0>", "\uFFFD", true}, {"<0x9F>", "\uFFFD", true}, {"<0xA4>", "\uFFFD", true}, {"<0x97>", "\uFFFD", true},
	})
	tok := reference(t, "sp-bpe-32k")
	ids := tok.Encode("a🤗")
	if got := string(tok.DecodeBytes(ids[1:])); got != "🤗" {
		t.Errorf("bytes of the fallback tokens = %q, want the emoji", got)
	}
}

func TestDisplayWordPiece(t *testing.T) {
	checkDisplay(t, "wordpiece-uncased", "Frameworks [MASK]", true, []displayCase{
		{"[CLS]", "[CLS]", false}, {"framework", "framework", false}, {"##s", "s", true},
		{"[MASK]", "[MASK]", false}, {"[SEP]", "[SEP]", false},
	})
	tok := reference(t, "wordpiece-uncased")
	if id, _ := tok.TokenID("[CLS]"); !tok.IsSpecial(id) {
		t.Errorf("[CLS] is not special")
	}
}

func TestDisplayQwen(t *testing.T) {
	checkDisplay(t, "qwen3", "Hi <tool_call>\n", false, []displayCase{
		{"Hi", "Hi", true}, {"Ġ", " ", false}, {"<tool_call>", "<tool_call>", false}, {"Ċ", "\n", false},
	})
	tok := reference(t, "qwen3")
	id, _ := tok.TokenID("<tool_call>")
	end, _ := tok.TokenID("<|im_end|>")
	if tok.IsSpecial(id) || !tok.IsSpecial(end) {
		t.Errorf("IsSpecial(<tool_call>), IsSpecial(<|im_end|>) = %v, %v; want false, true (as the file says)", tok.IsSpecial(id), tok.IsSpecial(end))
	}
}
