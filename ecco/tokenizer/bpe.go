package tokenizer

import "unicode/utf8"

// Byte-pair merging of one word. Merges are applied lowest rank first and, among
// equal ranks, leftmost first, which is what HuggingFace's BPE model does. A heap
// keeps this O(n log n) so that a very long word (say 10 KB without spaces)
// stays cheap.

// pairKey packs the ids of two adjacent symbols.
type pairKey uint64

func makePairKey(left, right int32) pairKey {
	return pairKey(uint64(uint32(left))<<32 | uint64(uint32(right)))
}

// merge is what a pair of symbols becomes, and its priority.
type merge struct {
	rank int32 // position of the rule in its file; lower ranks merge first
	id   int32 // id of the merged token
}

// candidate is a possible merge of symbol pos with the symbol after it.
type candidate struct {
	rank        int32
	pos         int32 // index of the left symbol; ties go to the smallest
	left, right int32 // ids expected at pos and at the next symbol
}

func (c candidate) before(d candidate) bool {
	return c.rank < d.rank || (c.rank == d.rank && c.pos < d.pos)
}

// candidateHeap is a binary min-heap; container/heap would box every element.
type candidateHeap []candidate

func (h *candidateHeap) push(c candidate) {
	*h = append(*h, c)
	s := *h
	for i := len(s) - 1; i > 0; {
		parent := (i - 1) / 2
		if !s[i].before(s[parent]) {
			break
		}
		s[i], s[parent] = s[parent], s[i]
		i = parent
	}
}

func (h *candidateHeap) pop() candidate {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s = s[:last]
	for i := 0; ; {
		smallest, l, r := i, 2*i+1, 2*i+2
		if l < len(s) && s[l].before(s[smallest]) {
			smallest = l
		}
		if r < len(s) && s[r].before(s[smallest]) {
			smallest = r
		}
		if smallest == i {
			break
		}
		s[i], s[smallest] = s[smallest], s[i]
		i = smallest
	}
	*h = s
	return top
}

// bpeModel is HuggingFace's BPE model. With byteLevel set, words arrive as raw
// bytes and start as GPT-2's byte tokens; otherwise they start as characters,
// with continuing_subword_prefix/end_of_word_suffix added, and a character
// missing from the vocabulary becomes its <0xNN> byte tokens (byte_fallback)
// or the unknown token.
type bpeModel struct {
	vocab        map[string]int
	merges       map[pairKey]merge
	byteLevel    bool
	byteIDs      [256]int32 // id of each single-byte token (byte-level only)
	fallbackIDs  [256]int32 // id of <0xNN>, -1 if absent (byte_fallback only)
	byteFallback bool
	ignoreMerges bool
	wholeWords   map[string]int // raw word -> id, for ignore_merges with byteLevel
	unk          int            // -1 without an unknown token
	fuseUnk      bool
	prefix       string // continuing_subword_prefix
	suffix       string // end_of_word_suffix
}

func (m *bpeModel) encodeWord(word string, out []int) []int {
	if m.ignoreMerges {
		lookup := m.vocab
		if m.byteLevel {
			lookup = m.wholeWords
		}
		if id, ok := lookup[word]; ok {
			return append(out, id)
		}
	}
	var symbols []int32
	if m.byteLevel {
		symbols = make([]int32, len(word))
		for i := 0; i < len(word); i++ {
			symbols[i] = m.byteIDs[word[i]]
		}
	} else {
		symbols = m.charSymbols(word)
	}
	return m.merge(symbols, out)
}

// charSymbols returns the starting symbols of a word made of characters.
func (m *bpeModel) charSymbols(word string) []int32 {
	symbols := make([]int32, 0, len(word))
	lastUnk := false
	for i, r := range word {
		size := utf8.RuneLen(r)
		if r == utf8.RuneError {
			_, size = utf8.DecodeRuneInString(word[i:])
		}
		piece := word[i : i+size]
		if i > 0 && m.prefix != "" {
			piece = m.prefix + piece
		}
		if i+size == len(word) && m.suffix != "" {
			piece += m.suffix
		}
		if id, ok := m.vocab[piece]; ok {
			symbols = append(symbols, int32(id))
			lastUnk = false
			continue
		}
		if m.byteFallback && m.appendFallback(&symbols, word[i:i+size]) {
			lastUnk = false
			continue
		}
		if m.unk < 0 || (m.fuseUnk && lastUnk) {
			continue // no unknown token (HuggingFace errors), or fused with the one before
		}
		symbols = append(symbols, int32(m.unk))
		lastUnk = true
	}
	return symbols
}

// appendFallback appends the <0xNN> tokens of char's bytes, if all exist.
func (m *bpeModel) appendFallback(symbols *[]int32, char string) bool {
	for i := 0; i < len(char); i++ {
		if m.fallbackIDs[char[i]] < 0 {
			return false
		}
	}
	for i := 0; i < len(char); i++ {
		*symbols = append(*symbols, m.fallbackIDs[char[i]])
	}
	return true
}

// merge applies the merges to symbols and appends the resulting ids to out.
func (m *bpeModel) merge(ids []int32, out []int) []int {
	n := len(ids)
	next := make([]int32, n) // index of the next live symbol, n at the end
	prev := make([]int32, n) // index of the previous live symbol, -1 at the start
	for i := 0; i < n; i++ {
		next[i] = int32(i + 1)
		prev[i] = int32(i - 1)
	}
	var heap candidateHeap
	consider := func(pos int32) {
		if pos < 0 || int(next[pos]) >= n {
			return
		}
		right := next[pos]
		if mg, ok := m.merges[makePairKey(ids[pos], ids[right])]; ok {
			heap.push(candidate{rank: mg.rank, pos: pos, left: ids[pos], right: ids[right]})
		}
	}
	for i := 0; i < n-1; i++ {
		consider(int32(i))
	}
	for len(heap) > 0 {
		c := heap.pop()
		right := next[c.pos]
		// Skip candidates made stale by an earlier merge.
		if ids[c.pos] != c.left || int(right) >= n || ids[right] != c.right {
			continue
		}
		ids[c.pos] = m.merges[makePairKey(c.left, c.right)].id
		ids[right] = -1
		next[c.pos] = next[right]
		if int(next[right]) < n {
			prev[next[right]] = c.pos
		}
		consider(prev[c.pos])
		consider(c.pos)
	}
	for i := 0; i < n; i = int(next[i]) {
		out = append(out, int(ids[i]))
	}
	return out
}
