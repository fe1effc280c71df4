package tokenizer

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"unicode/utf8"
)

// SentencePieceFile is the SentencePiece model that T5 and Pegasus checkpoints ship, alone or
// beside tokenizer.json; Load reads it when there is no tokenizer.json.
const SentencePieceFile = "spiece.model"

// LoadSentencePiece reads a SentencePiece Unigram model file (name, such as spiece.model) from
// fsys, with tokenizer_config.json beside it when present (see the package documentation).
func LoadSentencePiece(fsys fs.FS, name string) (*Tokenizer, error) {
	return loadSentencePiece(fsys, "", name)
}

func loadSentencePiece(fsys fs.FS, where, name string) (*Tokenizer, error) {
	data, err := readBounded(fsys, where, name)
	if err != nil {
		return nil, err
	}
	source := label(where, name)
	m, err := parseSPModel(data)
	var unk int
	if err == nil {
		unk, err = m.check()
	}
	if err != nil {
		return nil, fmt.Errorf("tokenizer: %s: %w; expected a SentencePiece model (ModelProto of sentencepiece_model.proto)", source, err)
	}
	spec, err := spmSpec(m, unk, source)
	if err != nil {
		return nil, err
	}
	if err := readSPConfig(fsys, where, path.Join(path.Dir(name), TokenizerConfigFile), m, spec); err != nil {
		return nil, err
	}
	spec.decoder = newSPMDecoder(m, unk, spec.added)
	return newTokenizer(spec)
}

// spmSpec builds the modelSpec of a checked SentencePiece model: its own normalizer, the whole
// normalized text segmented at once (no pre-tokenizer), and its control pieces and unknown piece
// as special added tokens, as transformers' converter and slow tokenizers treat them.
func spmSpec(m *spmModel, unk int, source string) (*modelSpec, error) {
	spec := &modelSpec{source: source, kind: "Unigram", vocab: make(map[string]int, len(m.pieces)),
		scores: make([]float64, len(m.pieces)), pieceKinds: make([]int, len(m.pieces)), unkID: unk,
		byteFallback: m.byteFallback, family: familyMetaspace, rawBytes: true}
	var userDefined []addedToken
	for id, p := range m.pieces {
		spec.vocab[p.piece], spec.scores[id], spec.pieceKinds[id] = id, float64(p.score), p.kind
		switch p.kind {
		case pieceControl, pieceUnknown:
			spec.added = append(spec.added, addedToken{content: p.piece, id: id, special: true})
		case pieceUserDefined:
			userDefined = append(userDefined, addedToken{content: p.piece, id: id})
		}
	}
	n := &spmNormalizer{userDefined: newAddedMatcher(userDefined), addDummyPrefix: m.addDummyPrefix,
		removeExtraWhitespaces: m.removeExtraWhitespaces, escapeSpaces: m.escapeSpaces}
	if len(m.charsmap) > 0 {
		rules, err := parseCharsmap(m.charsmap, "normalizer_spec")
		if err != nil {
			return nil, fmt.Errorf("tokenizer: %s: %w; expected the compiled rules of normalizer %q", source, err, m.normalizerName)
		}
		n.rules = rules
	}
	spec.normalizer = n
	return spec, nil
}

// spmDecoder is SentencePiece's decoding of pieces: ▁ becomes a space; at the start of the
// text a piece loses its leading ▁ (the dummy prefix's space: the first such piece with
// add_dummy_prefix, every one with remove_extra_whitespaces); byte pieces become their bytes
// (each byte that is not part of a valid UTF-8 character becomes U+FFFD); the unknown piece
// becomes unk_surface (" ⁇ "). Added tokens keep their content, as everywhere in this package,
// but count as SentencePiece's invisible control pieces for the start-of-text rule.
type spmDecoder struct {
	unk, unkSurface            string
	added                      map[string]bool
	dummyPrefix, collapseSpace bool
}

func newSPMDecoder(m *spmModel, unk int, added []addedToken) spmDecoder {
	d := spmDecoder{unk: m.pieces[unk].piece, unkSurface: m.unkSurface, added: map[string]bool{},
		dummyPrefix: m.addDummyPrefix, collapseSpace: m.removeExtraWhitespaces}
	for _, a := range added {
		d.added[a.content] = true
	}
	return d
}

func (d spmDecoder) decodeChain(tokens []string) []string {
	out := make([]string, 0, len(tokens))
	var pending []byte
	written := false // whether any text is out (SentencePiece's !text->empty())
	emit := func(s string) {
		out = append(out, s)
		written = written || s != ""
	}
	flush := func() {
		for len(pending) > 0 {
			r, size := utf8.DecodeRune(pending)
			if r == utf8.RuneError && size <= 1 {
				emit("\uFFFD")
			} else {
				emit(string(pending[:size]))
			}
			pending = pending[size:]
		}
	}
	atStart, consumed := true, false
	for _, tok := range tokens {
		if b, ok := parseByteToken(tok); ok {
			pending = append(pending, b)
			continue
		}
		flush()
		atStart = atStart && !consumed && !written
		consumed = false
		switch {
		case tok == d.unk:
			emit(d.unkSurface)
		case d.added[tok]:
			out = append(out, tok)
		default:
			if atStart && (d.dummyPrefix || d.collapseSpace) {
				tok, consumed = strings.CutPrefix(tok, metaspace)
				consumed = consumed && !d.collapseSpace
			}
			emit(strings.ReplaceAll(tok, metaspace, " "))
		}
	}
	flush()
	return out
}

// errPegasus explains why Pegasus's spiece.model is refused: its tokenizer shifts every piece id.
var errPegasus = errors.New("PegasusTokenizer shifts the SentencePiece ids by 103 (its own special tokens come first), which this package does not reproduce; load the checkpoint's tokenizer.json instead")
