package tokenizer

import (
	"strings"
	"unicode/utf8"
)

// A decoder turns the token strings of ids into pieces of text, joined by
// Decode, as HuggingFace's decoders' decode_chain does.
type decoder interface {
	decodeChain(tokens []string) []string
}

// byteLevelDecoder maps GPT-2's alphabet back to bytes and reads them as UTF-8.
type byteLevelDecoder struct{}

func (byteLevelDecoder) decodeChain(tokens []string) []string {
	var raw []byte
	for _, tok := range tokens {
		raw = append(raw, byteLevelToBytes(tok)...)
	}
	return []string{toValidUTF8(raw)}
}

// replaceDecoder substitutes a literal string in every token.
type replaceDecoder struct{ old, new string }

func (r replaceDecoder) decodeChain(tokens []string) []string {
	for i, tok := range tokens {
		tokens[i] = strings.ReplaceAll(tok, r.old, r.new)
	}
	return tokens
}

// byteFallbackDecoder turns runs of <0xNN> tokens into the text of their
// bytes; an invalid run gives one U+FFFD per byte, as HuggingFace does.
type byteFallbackDecoder struct{}

func (byteFallbackDecoder) decodeChain(tokens []string) []string {
	out := make([]string, 0, len(tokens))
	var pending []byte
	flush := func() {
		if len(pending) == 0 {
			return
		}
		if utf8.Valid(pending) {
			out = append(out, string(pending))
		} else {
			for range pending {
				out = append(out, "\uFFFD")
			}
		}
		pending = pending[:0]
	}
	for _, tok := range tokens {
		if b, ok := parseByteToken(tok); ok {
			pending = append(pending, b)
			continue
		}
		flush()
		out = append(out, tok)
	}
	flush()
	return out
}

// parseByteToken reads a byte-fallback token "<0xNN>".
func parseByteToken(tok string) (byte, bool) {
	if len(tok) != 6 || tok[:3] != "<0x" || tok[5] != '>' {
		return 0, false
	}
	hi, ok1 := hexDigit(tok[3])
	lo, ok2 := hexDigit(tok[4])
	return hi<<4 | lo, ok1 && ok2
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// fuseDecoder joins all tokens into one.
type fuseDecoder struct{}

func (fuseDecoder) decodeChain(tokens []string) []string {
	return []string{strings.Join(tokens, "")}
}

// stripDecoder removes up to start copies of content from the left of each
// token and up to stop copies from its right.
type stripDecoder struct {
	content     string
	start, stop int
}

func (s stripDecoder) decodeChain(tokens []string) []string {
	for i, tok := range tokens {
		for n := 0; n < s.start && s.content != "" && strings.HasPrefix(tok, s.content); n++ {
			tok = tok[len(s.content):]
		}
		for n := 0; n < s.stop && s.content != "" && strings.HasSuffix(tok, s.content); n++ {
			tok = tok[:len(tok)-len(s.content)]
		}
		tokens[i] = tok
	}
	return tokens
}

// metaspaceDecoder turns the marker back into spaces and drops the space it
// prepended to the first token.
type metaspaceDecoder struct {
	replacement string
	scheme      string
}

func (m metaspaceDecoder) decodeChain(tokens []string) []string {
	for i, tok := range tokens {
		tok = strings.ReplaceAll(tok, m.replacement, " ")
		if i == 0 && m.scheme != prependNever {
			tok = strings.TrimPrefix(tok, " ")
		}
		tokens[i] = tok
	}
	return tokens
}

// wordPieceDecoder glues continuation pieces (##) to the token before and
// puts a space before the others; cleanup removes spaces before punctuation.
type wordPieceDecoder struct {
	prefix  string
	cleanup bool
}

func (w wordPieceDecoder) decodeChain(tokens []string) []string {
	for i, tok := range tokens {
		if i > 0 {
			if rest, ok := strings.CutPrefix(tok, w.prefix); ok {
				tok = rest
			} else {
				tok = " " + tok
			}
		}
		if w.cleanup {
			tok = wordPieceCleanup(tok)
		}
		tokens[i] = tok
	}
	return tokens
}

// bpeSuffixDecoder turns the end-of-word suffix into a space (none at the end).
type bpeSuffixDecoder struct{ suffix string }

func (b bpeSuffixDecoder) decodeChain(tokens []string) []string {
	for i, tok := range tokens {
		replacement := " "
		if i == len(tokens)-1 {
			replacement = ""
		}
		tokens[i] = strings.ReplaceAll(tok, b.suffix, replacement)
	}
	return tokens
}

// decoderSequence applies its decoders in order.
type decoderSequence []decoder

func (seq decoderSequence) decodeChain(tokens []string) []string {
	for _, d := range seq {
		tokens = d.decodeChain(tokens)
	}
	return tokens
}

// cleanUpReplacer is transformers' clean_up_tokenization.
var cleanUpReplacer = []string{" .", ".", " ?", "?", " !", "!", " ,", ",", " ' ", "'", " n't", "n't", " 'm", "'m", " 's", "'s", " 've", "'ve", " 're", "'re"}

// CleanUpTokenization removes the spaces that word-level decoding leaves
// before punctuation and English contractions (" ." -> ".", " n't" -> "n't"),
// as transformers' clean_up_tokenization does.
func CleanUpTokenization(s string) string {
	for i := 0; i < len(cleanUpReplacer); i += 2 {
		s = strings.ReplaceAll(s, cleanUpReplacer[i], cleanUpReplacer[i+1])
	}
	return s
}

// wordPieceCleanup is HuggingFace's WordPiece decoder cleanup: the same, plus
// " do not" -> " don't".
func wordPieceCleanup(s string) string {
	s = CleanUpTokenization(s)
	return strings.ReplaceAll(s, " do not", " don't")
}
