package tokenizer

import "unicode/utf8"

// wordPieceModel is BERT's WordPiece: greedy longest match from the left,
// continuation pieces spelt with a prefix (##); a word with a part that
// matches nothing, or longer than maxChars characters, is one unknown token.
type wordPieceModel struct {
	vocab    map[string]int
	unk      int
	prefix   string
	maxChars int
}

func (w *wordPieceModel) encodeWord(word string, out []int) []int {
	if utf8.RuneCountInString(word) > w.maxChars {
		return append(out, w.unk)
	}
	start0 := len(out)
	for start := 0; start < len(word); {
		found := -1
		end := len(word)
		for ; end > start; end = prevCharStart(word, start, end) {
			piece := word[start:end]
			if start > 0 {
				piece = w.prefix + piece
			}
			if id, ok := w.vocab[piece]; ok {
				found = id
				break
			}
		}
		if found < 0 {
			return append(out[:start0], w.unk)
		}
		out = append(out, found)
		start = end
	}
	return out
}

// prevCharStart returns the start of the character that ends at end, not
// before lo.
func prevCharStart(s string, lo, end int) int {
	_, size := utf8.DecodeLastRuneInString(s[lo:end])
	return end - max(size, 1)
}
