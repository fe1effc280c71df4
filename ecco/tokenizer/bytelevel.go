package tokenizer

import "unicode/utf8"

// GPT-2 stores every token as text over a 256-character alphabet: printable
// Latin-1 bytes stand for themselves and the other bytes (controls, space,
// 0x7f-0xa0, 0xad) are shifted to U+0100 onwards, so "Ġ" (U+0120) is the space
// byte and "Ċ" (U+010A) is the newline byte.

// byteToRune maps a byte to the character that represents it in the vocabulary.
var byteToRune [256]rune

// runeToByte is the inverse of byteToRune, indexed by rune; entries for runes
// that stand for no byte are -1.
var runeToByte [512]int16

func init() {
	for i := range runeToByte {
		runeToByte[i] = -1
	}
	shifted := rune(0)
	for b := 0; b < 256; b++ {
		if isPrintableLatin1(byte(b)) {
			byteToRune[b] = rune(b)
		} else {
			byteToRune[b] = 256 + shifted
			shifted++
		}
		runeToByte[byteToRune[b]] = int16(b)
	}
}

// isPrintableLatin1 reports whether GPT-2 keeps byte b as its own character.
func isPrintableLatin1(b byte) bool {
	return ('!' <= b && b <= '~') || (0xa1 <= b && b <= 0xac) || (0xae <= b && b <= 0xff)
}

// byteLevelToBytes decodes a byte-level token back to raw bytes. A character
// outside the byte-level alphabet (none in GPT-2's vocabulary) is kept as its
// own UTF-8, as HuggingFace's decoder does, rather than refused.
func byteLevelToBytes(token string) []byte {
	raw := make([]byte, 0, len(token))
	for _, r := range token {
		if r >= 0 && int(r) < len(runeToByte) && runeToByte[r] >= 0 {
			raw = append(raw, byte(runeToByte[r]))
			continue
		}
		raw = utf8.AppendRune(raw, r)
	}
	return raw
}
