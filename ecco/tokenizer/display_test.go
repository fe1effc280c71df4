package tokenizer

import "testing"

// Expected strings from Python's bytes.decode("utf-8", "replace").
func TestToValidUTF8(t *testing.T) {
	cases := []struct{ in, want string }{
		{"\xf0\x9f\x91", "\uFFFD"},
		{"\x80\x80", "\uFFFD\uFFFD"},
		{"\xe0\x80", "\uFFFD\uFFFD"},
		{"\xed\xa0\x80", "\uFFFD\uFFFD\uFFFD"},
		{"a\xc3", "a\uFFFD"},
		{"\xf4\x90\x80\x80", "\uFFFD\uFFFD\uFFFD\uFFFD"},
		{"\xf0\x9f\x91\x8bx\x8b", "👋x\uFFFD"},
		{"\xc0\xaf", "\uFFFD\uFFFD"},
		{"\xe2\x82", "\uFFFD"},
		{"\xe2\x82\xac", "€"},
		{"\xff\xfe", "\uFFFD\uFFFD"},
		{"\xf1\x80\x80", "\uFFFD"},
		{"", ""},
	}
	for _, c := range cases {
		if got := toValidUTF8([]byte(c.in)); got != c.want {
			t.Errorf("toValidUTF8(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// GPT-2 splits 👋 (F0 9F 91 8B) into "ðŁĳ" (41840, F0 9F 91) and "ĭ" (233, 8B).
func TestDisplaySplitEmoji(t *testing.T) {
	tok := gpt2(t)
	ids := tok.Encode(" 👋")
	if len(ids) != 2 || ids[1] != 233 {
		t.Fatalf(`Encode(" 👋") = %v, want [<" \xf0\x9f\x91"> 233]`, ids)
	}
	cases := []struct {
		id      int
		token   string
		display string
		partial bool
	}{
		{ids[0], "ĠðŁĳ", " \uFFFD", false},
		{233, "ĭ", "\uFFFD", true},
		{41840, "ðŁĳ", "\uFFFD", true},
		{198, "Ċ", "\n", false},
		{628, "ĊĊ", "\n\n", false},
		{220, "Ġ", " ", false},
		{197, "ĉ", "\t", false},
		{1849, "Âł", "\u00a0", false}, // no-break space starts a word too
		{3290, "Ġdog", " dog", false},
		{22854, "ensor", "ensor", true},
		{13, ".", ".", true},
		{50256, "<|endoftext|>", "<|endoftext|>", false},
	}
	for _, c := range cases {
		if got := tok.Token(c.id); got != c.token {
			t.Errorf("Token(%d) = %q, want %q", c.id, got, c.token)
		}
		if got := tok.DisplayToken(c.id); got != c.display {
			t.Errorf("DisplayToken(%d) = %q, want %q", c.id, got, c.display)
		}
		if got := tok.IsPartial(c.id); got != c.partial {
			t.Errorf("IsPartial(%d) = %v, want %v", c.id, got, c.partial)
		}
	}
	if got := tok.Decode(ids); got != " 👋" {
		t.Errorf("Decode(%v) = %q, want %q", ids, got, " 👋")
	}
}

// Ids that name no token: empty results, skipped by Decode, no panic.
func TestUnknownIDs(t *testing.T) {
	tok := gpt2(t)
	for _, id := range []int{-1, 50257, 1 << 40} {
		if tok.Token(id) != "" || tok.TokenBytes(id) != nil || tok.DisplayToken(id) != "" || tok.IsPartial(id) || tok.IsSpecial(id) {
			t.Errorf("id %d: Token %q, TokenBytes %q, DisplayToken %q, IsPartial %v, IsSpecial %v; want empty and false",
				id, tok.Token(id), tok.TokenBytes(id), tok.DisplayToken(id), tok.IsPartial(id), tok.IsSpecial(id))
		}
	}
	if got := tok.Decode([]int{15496, -1, 50257, 11}); got != "Hello," {
		t.Errorf("Decode with unknown ids = %q, want %q", got, "Hello,")
	}
	if _, ok := tok.TokenID("no such token"); ok {
		t.Error(`TokenID("no such token") found a token`)
	}
}

// DecodeBytes keeps invalid UTF-8 that Decode replaces.
func TestDecodeBytesExact(t *testing.T) {
	tok := gpt2(t)
	text := "a\xffb \xf0\x9f"
	ids := tok.Encode(text)
	if got := string(tok.DecodeBytes(ids)); got != text {
		t.Errorf("DecodeBytes = %q, want %q", got, text)
	}
	if got := tok.Decode(ids); got != "a\uFFFDb \uFFFD" {
		t.Errorf("Decode = %q, want %q", got, "a\uFFFDb \uFFFD")
	}
}
