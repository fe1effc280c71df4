package tokenizer

import "strings"

// Decode returns the text of ids as HuggingFace's tokenizers decode it (with
// special tokens kept): the file's decoder runs over the token strings, so
// byte-level tokens become their bytes with each invalid UTF-8 sequence shown
// as U+FFFD, "▁" becomes a space and "##" glues a piece to the one before.
// Without a decoder the tokens are joined by spaces, as HuggingFace does. Ids
// that name no token are skipped. For byte-level and byte-fallback
// tokenizers whose normalizer leaves the text alone, Decode(Encode(s)) == s
// for valid UTF-8 s.
func (t *Tokenizer) Decode(ids []int) string {
	tokens := make([]string, 0, len(ids))
	for _, id := range ids {
		if tok := t.Token(id); tok != "" {
			tokens = append(tokens, tok)
		}
	}
	if t.decoder == nil {
		return strings.Join(tokens, " ") // HuggingFace's default
	}
	return strings.Join(t.decoder.decodeChain(tokens), "")
}

// DecodeLikeTransformers is what transformers' tokenizer.decode(ids) returns:
// Decode, then clean_up_tokenization (CleanUpTokenization) when the folder's
// tokenizer_config.json sets clean_up_tokenization_spaces.
func (t *Tokenizer) DecodeLikeTransformers(ids []int) string {
	s := t.Decode(ids)
	if t.cleanUp {
		s = CleanUpTokenization(s)
	}
	return s
}

// CleansUpSpaces reports tokenizer_config.json's clean_up_tokenization_spaces.
func (t *Tokenizer) CleansUpSpaces() bool { return t.cleanUp }

// DecodeBytes returns the bytes of the tokens (TokenBytes) joined, exactly;
// ids that name no token are skipped. For a byte-level tokenizer without a
// normalizer, DecodeBytes(Encode(s)) equals s for every string s.
func (t *Tokenizer) DecodeBytes(ids []int) []byte {
	var out []byte
	for _, id := range ids {
		out = append(out, t.TokenBytes(id)...)
	}
	return out
}

// Token returns the vocabulary string of id ("Ġdog", "▁dog", "##s", "<0xE2>",
// or an added token's content), or "" if no token has that id.
func (t *Tokenizer) Token(id int) string {
	if id < 0 || id >= len(t.tokens) {
		return ""
	}
	return t.tokens[id]
}

// TokenBytes returns the bytes token id stands for (" dog" for "Ġdog" and
// "▁dog", "s" for "##s", the byte 0xE2 for "<0xE2>"), or nil if no token has
// that id. The slice must not be modified.
func (t *Tokenizer) TokenBytes(id int) []byte {
	if id < 0 || id >= len(t.tokenBytes) {
		return nil
	}
	return t.tokenBytes[id]
}

// TokenID returns the id of a vocabulary string ("Ġdog") or of an added
// token's content ("<|endoftext|>").
func (t *Tokenizer) TokenID(token string) (int, bool) {
	id, ok := t.ids[token]
	return id, ok
}

// IsSpecial reports whether id is a special added token such as
// <|endoftext|> or [CLS].
func (t *Tokenizer) IsSpecial(id int) bool {
	return id >= 0 && id < len(t.special) && t.special[id]
}

// VocabSize returns one more than the largest token id (50257 for GPT-2).
func (t *Tokenizer) VocabSize() int { return len(t.tokens) }

// EndOfText returns the id of <|endoftext|> (50256 for GPT-2), or -1 if the
// vocabulary has no such token.
func (t *Tokenizer) EndOfText() int { return t.endOfText }
