package tokenizer

import (
	"fmt"
	"strings"
)

// modelSpec is what the file parsers produce and newTokenizer checks and builds.
type modelSpec struct {
	source       string // file name(s), for errors
	mergesSource string // "merges.txt line" or "tokenizer.json model.merges index"
	kind         string // "BPE", "WordPiece" or "Unigram"
	vocab        map[string]int
	scores       []float64 // Unigram's log-probabilities, by id
	unkID        int       // Unigram's unknown token
	pieceKinds   []int     // SentencePiece piece types by id when read from a .model file, else nil
	merges       []mergeEntry
	added        []addedToken

	unkToken, prefix, suffix            string
	fuseUnk, byteFallback, ignoreMerges bool
	maxChars                            int // WordPiece's max_input_chars_per_word

	normalizer normalizer
	pre        preTokenizer
	byteLevel  bool // a ByteLevel pre-tokenizer: the model reads raw bytes
	post       postProcessor
	decoder    decoder
	family     family
	cleanUp    bool
	rawBytes   bool // the normalizer reads invalid UTF-8 itself (SentencePiece's U+FFFD per byte)
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
		tokens:     make([]string, size),
		tokenBytes: make([][]byte, size),
		special:    make([]bool, size),
		isAdded:    make([]bool, size),
		ids:        make(map[string]int, len(spec.vocab)+len(spec.added)),
		family:     spec.family,
		normalizer: spec.normalizer,
		pre:        spec.pre,
		post:       spec.post,
		decoder:    spec.decoder,
		validUTF8:  (!spec.byteLevel || spec.normalizer != nil) && !spec.rawBytes,
		cleanUp:    spec.cleanUp,
		endOfText:  -1,
		cache:      make(map[string][]int),
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
		t.tokenBytes[id] = spec.family.textBytes(tok)
		t.ids[tok] = id
	}
	if err := t.addAddedTokens(spec); err != nil {
		return nil, err
	}
	var err error
	switch spec.kind {
	case "WordPiece":
		t.model, err = newWordPiece(spec)
	case "Unigram":
		t.model, err = newUnigram(spec)
	default:
		t.bpe, err = newBPE(spec)
		t.model = t.bpe
	}
	if err != nil {
		return nil, err
	}
	if id, ok := t.ids[endOfTextContent]; ok {
		t.endOfText = id
	}
	return t, nil
}

// addAddedTokens records the added tokens and builds their matchers.
func (t *Tokenizer) addAddedTokens(spec *modelSpec) error {
	var raw, normalized []addedToken
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
		t.special[a.id] = a.special
		t.isAdded[a.id] = true
		t.ids[a.content] = a.id
		if a.normalized && spec.normalizer != nil {
			if a.content = spec.normalizer.normalize(a.content); a.content == "" {
				continue
			}
			normalized = append(normalized, a)
		} else {
			raw = append(raw, a)
		}
	}
	t.raw, t.normalized = newAddedMatcher(raw), newAddedMatcher(normalized)
	return nil
}

// newBPE builds the BPE model's tables.
func newBPE(spec *modelSpec) (*bpeModel, error) {
	m := &bpeModel{
		vocab:        spec.vocab,
		merges:       make(map[pairKey]merge, len(spec.merges)),
		byteLevel:    spec.byteLevel,
		byteFallback: spec.byteFallback,
		ignoreMerges: spec.ignoreMerges,
		unk:          -1,
		fuseUnk:      spec.fuseUnk,
		prefix:       spec.prefix,
		suffix:       spec.suffix,
	}
	if spec.unkToken != "" {
		id, ok := spec.vocab[spec.unkToken]
		if !ok {
			return nil, fmt.Errorf("tokenizer: %s: the unknown token %q is not in the vocabulary", spec.source, spec.unkToken)
		}
		m.unk = id
	}
	if spec.byteLevel {
		for b := range 256 {
			id, ok := spec.vocab[string(byteToRune[b])]
			if !ok {
				return nil, fmt.Errorf("tokenizer: %s: no token for byte 0x%02x (%q); a byte-level BPE vocabulary needs all 256 bytes",
					spec.source, b, string(byteToRune[b]))
			}
			m.byteIDs[b] = int32(id)
		}
		if spec.ignoreMerges {
			m.wholeWords = make(map[string]int, len(spec.vocab))
			for tok, id := range spec.vocab {
				m.wholeWords[string(byteLevelToBytes(tok))] = id
			}
		}
	}
	for b := range 256 {
		m.fallbackIDs[b] = -1
		if id, ok := spec.vocab[fmt.Sprintf("<0x%02X>", b)]; ok {
			m.fallbackIDs[b] = int32(id)
		}
	}
	for _, mg := range spec.merges {
		right := mg.right
		if spec.prefix != "" {
			right = strings.TrimPrefix(right, spec.prefix)
		}
		left, okLeft := spec.vocab[mg.left]
		rightID, okRight := spec.vocab[mg.right]
		merged, okMerged := spec.vocab[mg.left+right]
		if !okLeft || !okRight || !okMerged {
			missing := mg.left
			switch {
			case okLeft && !okRight:
				missing = mg.right
			case okLeft && okRight:
				missing = mg.left + right
			}
			return nil, fmt.Errorf("tokenizer: %s %d: merge %q %q uses %q, which is not in the vocabulary; expected merges of vocabulary tokens",
				spec.mergesSource, mg.line, mg.left, mg.right, missing)
		}
		// A repeated pair keeps its last rank, as HuggingFace and GPT-2 do.
		m.merges[makePairKey(int32(left), int32(rightID))] = merge{rank: int32(mg.line), id: int32(merged)}
	}
	return m, nil
}

// newWordPiece checks and builds the WordPiece model.
func newWordPiece(spec *modelSpec) (*wordPieceModel, error) {
	unk, ok := spec.vocab[spec.unkToken]
	if !ok {
		return nil, fmt.Errorf("tokenizer: %s: WordPiece's unknown token %q is not in the vocabulary", spec.source, spec.unkToken)
	}
	if spec.maxChars <= 0 {
		return nil, fmt.Errorf("tokenizer: %s: model.max_input_chars_per_word is %d; expected a positive number", spec.source, spec.maxChars)
	}
	return &wordPieceModel{vocab: spec.vocab, unk: unk, prefix: spec.prefix, maxChars: spec.maxChars}, nil
}
