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

	// float32 is SentencePiece's own arithmetic (path scores in float32, user-defined pieces
	// scored length × the highest normal score − 0.1); HuggingFace's Unigram sums in float64.
	float32     bool
	userDefined map[int]bool
}

// unkPenalty is how far below the lowest piece an unknown character scores (SentencePiece's
// kUnkPenalty).
const unkPenalty = 10

func newUnigram(spec *modelSpec) (*unigramModel, error) {
	m := &unigramModel{vocab: spec.vocab, scores: spec.scores, unk: spec.unkID, byteFallback: spec.byteFallback}
	if m.unk < 0 || m.unk >= len(m.scores) {
		return nil, fmt.Errorf("tokenizer: %s: model.unk_id is %d; expected an id of model.vocab (0 to %d)", spec.source, m.unk, len(m.scores)-1)
	}
	if spec.pieceKinds != nil {
		m.fromSentencePiece(spec.pieceKinds)
	} else {
		lowest := math.Inf(1)
		for _, s := range m.scores {
			lowest = math.Min(lowest, s)
		}
		m.unkScore = lowest - unkPenalty
	}
	for piece := range m.vocab {
		m.maxLen = max(m.maxLen, len(piece))
	}
	for b := range m.fallbackIDs {
		m.fallbackIDs[b] = -1
		if id, ok := spec.vocab[fmt.Sprintf("<0x%02X>", b)]; ok {
			m.fallbackIDs[b] = id
		}
	}
	return m, nil
}

// fromSentencePiece sets the model up as SentencePiece's unigram_model.cc does: only normal and
// user-defined pieces take part (control, unknown, byte and unused pieces are never matched in
// text), the unknown score is 10 below the lowest normal piece, and a user-defined piece scores
// its length in bytes × the highest normal score (at least FLT_MIN) − 0.1, so it nearly always wins.
func (m *unigramModel) fromSentencePiece(kinds []int) {
	all := m.vocab
	m.float32, m.userDefined, m.vocab = true, map[int]bool{}, make(map[string]int, len(all))
	lowest, highest := float32(math.MaxFloat32), float32(flt32Min)
	for id, kind := range kinds {
		if kind == pieceNormal {
			lowest, highest = min(lowest, float32(m.scores[id])), max(highest, float32(m.scores[id]))
		}
	}
	for piece, id := range all {
		switch kinds[id] {
		case pieceUserDefined:
			m.userDefined[id] = true
			m.scores[id] = float64(float32(len(piece))*highest) - 0.1
			fallthrough
		case pieceNormal:
			m.vocab[piece] = id
		}
	}
	m.unkScore = float64(lowest - unkPenalty)
}

// flt32Min is C's FLT_MIN, the smallest normal float32, where SentencePiece starts its highest score.
const flt32Min = 0x1p-126

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
			m.relax(best, start, end, id, m.add(here, id, m.scores[id]))
			single = single || end-start == char
		}
		if !single {
			m.relax(best, start, start+char, m.unk, m.add(here, -1, m.unkScore))
		}
		start += char
	}
	return m.emit(word, best, out)
}

// add is the score of a path through piece id (-1: the unknown piece) after a path scoring here.
func (m *unigramModel) add(here float64, id int, score float64) float64 {
	if !m.float32 || m.userDefined[id] {
		return here + score // SentencePiece adds a user-defined score in double precision
	}
	return float64(float32(here) + float32(score))
}

// relax keeps the piece id over word[start:end] if it makes a better path to end; ties keep the
// path found first (the shorter last piece), as HuggingFace does.
func (m *unigramModel) relax(best []lattice, start, end, id int, score float64) {
	if best[end].start < 0 || score > best[end].score {
		if m.float32 {
			score = float64(float32(score)) // SentencePiece keeps path scores as float
		}
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
