package tokenizer

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// spmModel is what this package reads from a SentencePiece model file (the protobuf ModelProto
// of sentencepiece_model.proto): the pieces, the trainer's choices that encoding depends on and
// the normalizer. Defaults are the proto2 defaults of that file.
type spmModel struct {
	pieces       []spmPiece
	modelType    int // trainer_spec.model_type: 1 UNIGRAM, 2 BPE, 3 WORD, 4 CHAR
	byteFallback bool
	// Special ids from trainer_spec (-1: none); the unknown piece itself is the one of type UNKNOWN.
	unkID, bosID, eosID, padID int
	unkSurface                 string // what decoding writes for an unknown piece
	whitespaceAsSuffix         bool

	normalizerName                                       string
	charsmap                                             []byte // precompiled rules; empty: identity
	addDummyPrefix, removeExtraWhitespaces, escapeSpaces bool
	denormalizer                                         bool // a denormalizer_spec with rules
}

// spmPiece is one vocabulary entry; its id is its index.
type spmPiece struct {
	piece string
	score float32
	kind  int
}

// SentencePiece piece types (ModelProto.SentencePiece.Type).
const (
	pieceNormal      = 1
	pieceUnknown     = 2
	pieceControl     = 3
	pieceUserDefined = 4
	pieceUnused      = 5
	pieceByte        = 6
)

var spmModelTypes = map[int]string{1: "UNIGRAM", 2: "BPE", 3: "WORD", 4: "CHAR"}

// Field numbers of sentencepiece_model.proto used here.
const (
	fieldPieces, fieldTrainerSpec, fieldNormalizerSpec, fieldDenormalizerSpec = 1, 2, 3, 5
	fieldPiece, fieldScore, fieldType                                         = 1, 2, 3

	fieldModelType, fieldTreatWhitespaceAsSuffix, fieldByteFallback = 3, 24, 35
	fieldUnkID, fieldBosID, fieldEosID, fieldPadID, fieldUnkSurface = 40, 41, 42, 43, 44

	fieldNormName, fieldCharsmap, fieldAddDummyPrefix, fieldRemoveExtraWhitespaces, fieldEscapeWhitespaces = 1, 2, 3, 4, 5
)

// parseSPModel decodes a ModelProto. Errors give the byte offset and the field.
func parseSPModel(data []byte) (*spmModel, error) {
	m := &spmModel{modelType: 1, unkID: 0, bosID: 1, eosID: 2, padID: -1, unkSurface: " \u2047 ",
		addDummyPrefix: true, removeExtraWhitespaces: true, escapeSpaces: true}
	r := &protoReader{buf: data}
	for !r.done() {
		field, wire, err := r.next()
		if err != nil {
			return nil, err
		}
		switch field {
		case fieldPieces:
			if len(m.pieces) >= MaxVocabSize {
				return nil, r.fail("more than %d pieces", MaxVocabSize)
			}
			sub, err := r.readMessage(fmt.Sprintf("pieces[%d]", len(m.pieces)), wire)
			if err != nil {
				return nil, err
			}
			p, err := parseSPPiece(sub, len(m.pieces))
			if err != nil {
				return nil, err
			}
			m.pieces = append(m.pieces, p)
		case fieldTrainerSpec:
			err = readSub(r, "trainer_spec", wire, m.trainerFields())
		case fieldNormalizerSpec:
			err = readSub(r, "normalizer_spec", wire, m.normalizerFields())
		case fieldDenormalizerSpec:
			var rules []byte
			err = readSub(r, "denormalizer_spec", wire, map[int]scalarField{
				fieldCharsmap: {name: "denormalizer_spec.precompiled_charsmap", raw: &rules}})
			m.denormalizer = m.denormalizer || len(rules) > 0
		default:
			err = r.skip(wire)
		}
		if err != nil {
			return nil, err
		}
	}
	return m, nil
}

func parseSPPiece(r *protoReader, id int) (spmPiece, error) {
	p := spmPiece{kind: pieceNormal}
	name := fmt.Sprintf("pieces[%d]", id)
	for !r.done() {
		field, wire, err := r.next()
		if err != nil {
			return p, err
		}
		switch field {
		case fieldPiece:
			var b []byte
			if b, err = r.readBytes(name+".piece", wire); err == nil && !utf8.Valid(b) {
				err = r.fail("%s.piece is not valid UTF-8", name)
			}
			p.piece = string(b)
		case fieldScore:
			p.score, err = r.readFloat(name+".score", wire)
		case fieldType:
			p.kind, err = r.readInt32(name+".type", wire)
			if err == nil && (p.kind < pieceNormal || p.kind > pieceByte) {
				err = r.fail("%s.type is %d; expected 1 (normal) to 6 (byte)", name, p.kind)
			}
		default:
			err = r.skip(wire)
		}
		if err != nil {
			return p, err
		}
	}
	return p, nil
}

// trainerFields and normalizerFields are the scalars read from trainer_spec and normalizer_spec.
func (m *spmModel) trainerFields() map[int]scalarField {
	return map[int]scalarField{
		fieldModelType:               {name: "trainer_spec.model_type", int: &m.modelType},
		fieldTreatWhitespaceAsSuffix: {name: "trainer_spec.treat_whitespace_as_suffix", bool: &m.whitespaceAsSuffix},
		fieldByteFallback:            {name: "trainer_spec.byte_fallback", bool: &m.byteFallback},
		fieldUnkID:                   {name: "trainer_spec.unk_id", int: &m.unkID},
		fieldBosID:                   {name: "trainer_spec.bos_id", int: &m.bosID},
		fieldEosID:                   {name: "trainer_spec.eos_id", int: &m.eosID},
		fieldPadID:                   {name: "trainer_spec.pad_id", int: &m.padID},
		fieldUnkSurface:              {name: "trainer_spec.unk_surface", str: &m.unkSurface},
	}
}

func (m *spmModel) normalizerFields() map[int]scalarField {
	return map[int]scalarField{
		fieldNormName:               {name: "normalizer_spec.name", str: &m.normalizerName},
		fieldCharsmap:               {name: "normalizer_spec.precompiled_charsmap", raw: &m.charsmap},
		fieldAddDummyPrefix:         {name: "normalizer_spec.add_dummy_prefix", bool: &m.addDummyPrefix},
		fieldRemoveExtraWhitespaces: {name: "normalizer_spec.remove_extra_whitespaces", bool: &m.removeExtraWhitespaces},
		fieldEscapeWhitespaces:      {name: "normalizer_spec.escape_whitespaces", bool: &m.escapeSpaces},
	}
}

// check refuses what this package cannot encode as SentencePiece does, and a model that
// SentencePiece itself would refuse to load. It returns the unknown piece's id.
func (m *spmModel) check() (int, error) {
	if name, ok := spmModelTypes[m.modelType]; !ok || m.modelType != 1 {
		if !ok {
			name = fmt.Sprint(m.modelType)
		}
		return 0, fmt.Errorf("trainer_spec.model_type is %s; this package reads UNIGRAM models only (for BPE, load the tokenizer.json transformers converts it to)", name)
	}
	if m.whitespaceAsSuffix {
		return 0, errors.New("trainer_spec.treat_whitespace_as_suffix is true; expected false (a suffix ▁ is not supported)")
	}
	if m.denormalizer {
		return 0, errors.New("denormalizer_spec has rules; decoding with a denormalizer is not supported")
	}
	if len(m.pieces) == 0 {
		return 0, errors.New("no pieces; expected the vocabulary")
	}
	unk, bytes, seen := -1, 0, make(map[string]int, len(m.pieces))
	for id, p := range m.pieces {
		if p.piece == "" {
			return 0, fmt.Errorf("pieces[%d] is empty; expected a non-empty piece", id)
		}
		if old, dup := seen[p.piece]; dup {
			return 0, fmt.Errorf("pieces[%d] repeats %q of pieces[%d]; expected each piece once", id, p.piece, old)
		}
		seen[p.piece] = id
		switch p.kind {
		case pieceUnknown:
			if unk >= 0 {
				return 0, fmt.Errorf("pieces[%d] and pieces[%d] are both of type UNKNOWN; expected one", unk, id)
			}
			unk = id
		case pieceByte:
			if _, ok := parseByteToken(p.piece); !ok || !m.byteFallback {
				return 0, fmt.Errorf("pieces[%d] %q has type BYTE; expected <0x00> to <0xFF> and trainer_spec.byte_fallback", id, p.piece)
			}
			bytes++
		}
	}
	if unk < 0 {
		return 0, errors.New("no piece of type UNKNOWN; expected the unknown piece (<unk>)")
	}
	if m.unkID != unk {
		return 0, fmt.Errorf("trainer_spec.unk_id is %d but pieces[%d] has type UNKNOWN; expected the same id", m.unkID, unk)
	}
	if m.byteFallback && bytes != 256 {
		return 0, fmt.Errorf("trainer_spec.byte_fallback is true but %d pieces have type BYTE; expected 256", bytes)
	}
	for _, s := range []struct {
		name string
		id   int
	}{{"bos_id", m.bosID}, {"eos_id", m.eosID}, {"pad_id", m.padID}} {
		if s.id < -1 || s.id >= len(m.pieces) {
			return 0, fmt.Errorf("trainer_spec.%s is %d; expected -1 or a piece id below %d", s.name, s.id, len(m.pieces))
		}
	}
	return unk, nil
}
