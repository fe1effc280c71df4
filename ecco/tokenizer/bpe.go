package tokenizer

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

// bpeWord returns the token ids of one pre-tokenized word (raw bytes).
func (t *Tokenizer) bpeWord(word string) []int {
	n := len(word)
	ids := make([]int32, n)
	next := make([]int32, n) // index of the next live symbol, n at the end
	prev := make([]int32, n) // index of the previous live symbol, -1 at the start
	for i := 0; i < n; i++ {
		ids[i] = t.byteIDs[word[i]]
		next[i] = int32(i + 1)
		prev[i] = int32(i - 1)
	}
	var heap candidateHeap
	consider := func(pos int32) {
		if pos < 0 || int(next[pos]) >= n {
			return
		}
		right := next[pos]
		if m, ok := t.merges[makePairKey(ids[pos], ids[right])]; ok {
			heap.push(candidate{rank: m.rank, pos: pos, left: ids[pos], right: ids[right]})
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
		ids[c.pos] = t.merges[makePairKey(c.left, c.right)].id
		ids[right] = -1
		next[c.pos] = next[right]
		if int(next[right]) < n {
			prev[next[right]] = c.pos
		}
		consider(prev[c.pos])
		consider(c.pos)
	}
	out := make([]int, 0, n)
	for i := 0; i < n; i = int(next[i]) {
		out = append(out, int(ids[i]))
	}
	return out
}
