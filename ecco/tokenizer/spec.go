package tokenizer

import (
	"fmt"
	"sort"
)

// modelSpec is what the file parsers produce and newTokenizer checks and builds.
type modelSpec struct {
	source         string // file name(s), for errors
	mergesSource   string // "merges.txt" or "tokenizer.json model.merges"
	vocab          map[string]int
	merges         []mergeEntry
	added          []addedToken
	addPrefixSpace bool
}

// mergeEntry is one merge rule; line locates it in its file for errors.
type mergeEntry struct {
	left, right string
	line        int
}

// newTokenizer checks spec for consistency and builds the lookup tables.
func newTokenizer(spec *modelSpec) (*Tokenizer, error) {
	if len(spec.vocab) == 0 {
		return nil, fmt.Errorf("tokenizer: %s: the vocabulary is empty; expected token -> id entries", spec.source)
	}
	size := 0
	for tok, id := range spec.vocab {
		if id < 0 || id >= MaxVocabSize {
			return nil, fmt.Errorf("tokenizer: %s: token %q has id %d; expected 0 <= id < %d", spec.source, tok, id, MaxVocabSize)
		}
		size = max(size, id+1)
	}
	for _, a := range spec.added {
		if a.id < 0 || a.id >= MaxVocabSize {
			return nil, fmt.Errorf("tokenizer: %s: added token %q has id %d; expected 0 <= id < %d", spec.source, a.content, a.id, MaxVocabSize)
		}
		size = max(size, a.id+1)
	}
	t := &Tokenizer{
		tokens:         make([]string, size),
		tokenBytes:     make([][]byte, size),
		isAdded:        make([]bool, size),
		ids:            make(map[string]int, len(spec.vocab)+len(spec.added)),
		merges:         make(map[pairKey]merge, len(spec.merges)),
		endOfText:      -1,
		addPrefixSpace: spec.addPrefixSpace,
		cache:          make(map[string][]int),
	}
	for tok, id := range spec.vocab {
		if tok == "" {
			return nil, fmt.Errorf("tokenizer: %s: empty token string for id %d; expected a non-empty token", spec.source, id)
		}
		if t.tokenBytes[id] != nil {
			return nil, fmt.Errorf("tokenizer: %s: id %d is given to both %q and %q; expected one token per id",
				spec.source, id, min(tok, t.tokens[id]), max(tok, t.tokens[id]))
		}
		t.tokens[id] = tok
		t.tokenBytes[id] = byteLevelToBytes(tok)
		t.ids[tok] = id
	}
	if err := t.addAddedTokens(spec); err != nil {
		return nil, err
	}
	for b := range 256 {
		id, ok := spec.vocab[string(byteToRune[b])]
		if !ok {
			return nil, fmt.Errorf("tokenizer: %s: no token for byte 0x%02x (%q); a byte-level BPE vocabulary needs all 256 bytes",
				spec.source, b, string(byteToRune[b]))
		}
		t.byteIDs[b] = int32(id)
	}
	for _, m := range spec.merges {
		left, okLeft := spec.vocab[m.left]
		right, okRight := spec.vocab[m.right]
		merged, okMerged := spec.vocab[m.left+m.right]
		if !okLeft || !okRight || !okMerged {
			missing := m.left
			switch {
			case okLeft && !okRight:
				missing = m.right
			case okLeft && okRight:
				missing = m.left + m.right
			}
			return nil, fmt.Errorf("tokenizer: %s %d: merge %q %q uses %q, which is not in the vocabulary; expected merges of vocabulary tokens",
				spec.mergesSource, m.line, m.left, m.right, missing)
		}
		// A repeated pair keeps its last rank, as HuggingFace and GPT-2 do.
		t.merges[makePairKey(int32(left), int32(right))] = merge{rank: int32(m.line), id: int32(merged)}
	}
	if id, ok := t.ids[endOfTextContent]; ok {
		t.endOfText = id
	}
	return t, nil
}

// addAddedTokens records the added tokens and orders them longest first.
func (t *Tokenizer) addAddedTokens(spec *modelSpec) error {
	for _, a := range spec.added {
		if a.content == "" {
			return fmt.Errorf("tokenizer: %s: added token %d has empty content; expected a non-empty string", spec.source, a.id)
		}
		if old := t.tokens[a.id]; old != "" && old != a.content {
			return fmt.Errorf("tokenizer: %s: added token %q has id %d, which the vocabulary gives to %q; expected the same token or a free id",
				spec.source, a.content, a.id, old)
		}
		if old, ok := t.ids[a.content]; ok && old != a.id {
			return fmt.Errorf("tokenizer: %s: added token %q has id %d but the vocabulary gives it id %d; expected the same id",
				spec.source, a.content, a.id, old)
		}
		t.tokens[a.id] = a.content
		t.tokenBytes[a.id] = []byte(a.content)
		t.isAdded[a.id] = true
		t.ids[a.content] = a.id
		t.added = append(t.added, a)
	}
	sort.SliceStable(t.added, func(i, j int) bool { return len(t.added[i].content) > len(t.added[j].content) })
	return nil
}
