package tokenizer

import (
	"encoding/json"
	"fmt"
	"math"
	"unicode/utf8"
)

// unigramModel is SentencePiece's Unigram model as HuggingFace runs it: the segmentation of a
// word into vocabulary pieces with the highest total log-probability (Viterbi over the pieces'
// scores). A character no piece starts with is the unknown token, scored 10 below the lowest
// piece; consecutive unknowns fuse into one; with byte fallback an unknown stretch is spelt as
// <0xNN> byte tokens instead.
type unigramModel struct {
	vocab        map[string]int
	scores       []float64 // by id
	unk          int
	unkScore     float64
	maxLen       int // bytes of the longest piece
	byteFallback bool
	fallbackIDs  [256]int // <0xNN> ids, -1 when absent
}

// unkPenalty is how far below the lowest piece an unknown character scores (SentencePiece's
// kUnkPenalty).
const unkPenalty = 10

func newUnigram(spec *modelSpec) (*unigramModel, error) {
	m := &unigramModel{vocab: spec.vocab, scores: spec.scores, unk: spec.unkID, byteFallback: spec.byteFallback}
	if m.unk < 0 || m.unk >= len(m.scores) {
		return nil, fmt.Errorf("tokenizer: %s: model.unk_id is %d; expected an id of model.vocab (0 to %d)", spec.source, m.unk, len(m.scores)-1)
	}
	lowest := math.Inf(1)
	for _, s := range m.scores {
		lowest = math.Min(lowest, s)
	}
	m.unkScore = lowest - unkPenalty
	for piece := range m.vocab {
		m.maxLen = max(m.maxLen, len(piece))
	}
	for b := range m.fallbackIDs {
		m.fallbackIDs[b] = -1
		if id, ok := m.vocab[fmt.Sprintf("<0x%02X>", b)]; ok {
			m.fallbackIDs[b] = id
		}
	}
	return m, nil
}

// lattice is the best segmentation of a word's prefix ending at one byte offset.
type lattice struct {
	score float64
	start int // where its last piece starts; -1: not reached
	id    int
}

func (m *unigramModel) encodeWord(word string, out []int) []int {
	best := make([]lattice, len(word)+1)
	for i := 1; i < len(best); i++ {
		best[i].start = -1
	}
	for start := 0; start < len(word); {
		_, char := utf8.DecodeRuneInString(word[start:])
		char = max(char, 1)
		here, single := best[start].score, false
		for end := start + 1; end <= min(len(word), start+m.maxLen); end++ {
			id, ok := m.vocab[word[start:end]]
			if !ok {
				continue
			}
			m.relax(best, start, end, id, here+m.scores[id])
			single = single || end-start == char
		}
		if !single {
			m.relax(best, start, start+char, m.unk, here+m.unkScore)
		}
		start += char
	}
	return m.emit(word, best, out)
}

// relax keeps the piece id over word[start:end] if it makes a better path to end; ties keep the
// path found first (the shorter last piece), as HuggingFace does.
func (m *unigramModel) relax(best []lattice, start, end, id int, score float64) {
	if best[end].start < 0 || score > best[end].score {
		best[end] = lattice{score: score, start: start, id: id}
	}
}

// emit walks the best path back from the end and appends its ids in order, fusing consecutive
// unknowns (and spelling them in bytes with byte fallback).
func (m *unigramModel) emit(word string, best []lattice, out []int) []int {
	var pieces []lattice // last first; start is the piece's start, score unused
	ends := []int{}
	for end := len(word); end > 0; end = best[end].start {
		n := best[end]
		if k := len(pieces) - 1; n.id == m.unk && k >= 0 && pieces[k].id == m.unk {
			pieces[k].start = n.start
			continue
		}
		pieces, ends = append(pieces, n), append(ends, end)
	}
	for k := len(pieces) - 1; k >= 0; k-- {
		if pieces[k].id != m.unk {
			out = append(out, pieces[k].id)
			continue
		}
		out = m.unknown(word[pieces[k].start:ends[k]], out)
	}
	return out
}

// unknown appends the ids of a stretch no piece covers: its bytes' <0xNN> tokens with byte
// fallback when all exist, else the unknown token.
func (m *unigramModel) unknown(s string, out []int) []int {
	if m.byteFallback {
		ok := true
		for i := 0; i < len(s); i++ {
			ok = ok && m.fallbackIDs[s[i]] >= 0
		}
		if ok {
			for i := 0; i < len(s); i++ {
				out = append(out, m.fallbackIDs[s[i]])
			}
			return out
		}
	}
	return append(out, m.unk)
}

// parseUnigram reads a Unigram model: vocab as [[piece, score], ...] (id = index), unk_id and
// byte_fallback.
func parseUnigram(spec *modelSpec, m *modelJSON, name string) error {
	var entries [][2]json.RawMessage
	if isNull(m.Vocab) {
		return fmt.Errorf("tokenizer: %s: no model.vocab; expected a list of [piece, score]", name)
	}
	if err := json.Unmarshal(m.Vocab, &entries); err != nil {
		return fmt.Errorf("tokenizer: %s: model.vocab: %w; expected a list of [piece, score]", name, describeJSONError(err))
	}
	if len(entries) > MaxVocabSize {
		return fmt.Errorf("tokenizer: %s: model.vocab has %d pieces; expected at most %d", name, len(entries), MaxVocabSize)
	}
	spec.vocab, spec.scores = make(map[string]int, len(entries)), make([]float64, len(entries))
	for id, e := range entries {
		var piece string
		if json.Unmarshal(e[0], &piece) != nil || json.Unmarshal(e[1], &spec.scores[id]) != nil || piece == "" {
			return fmt.Errorf("tokenizer: %s: model.vocab[%d] is [%.40s, %.20s]; expected a non-empty piece and a number", name, id, e[0], e[1])
		}
		if _, dup := spec.vocab[piece]; dup {
			return fmt.Errorf("tokenizer: %s: model.vocab[%d] repeats the piece %q; expected each piece once", name, id, piece)
		}
		spec.vocab[piece] = id
	}
	if m.UnkID == nil {
		return fmt.Errorf("tokenizer: %s: model.unk_id is missing; a Unigram model needs its unknown token", name)
	}
	spec.unkID, spec.byteFallback = *m.UnkID, m.ByteFallback
	return nil
}
