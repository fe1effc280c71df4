package tokenizer

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// tokenizerJSON is the part of HuggingFace's tokenizer.json that encoding and
// decoding use (truncation and padding are left to the caller).
type tokenizerJSON struct {
	AddedTokens []struct {
		ID         *int   `json:"id"`
		Content    string `json:"content"`
		Special    bool   `json:"special"`
		LStrip     bool   `json:"lstrip"`
		RStrip     bool   `json:"rstrip"`
		SingleWord bool   `json:"single_word"`
		Normalized bool   `json:"normalized"`
	} `json:"added_tokens"`
	Normalizer    json.RawMessage `json:"normalizer"`
	PreTokenizer  json.RawMessage `json:"pre_tokenizer"`
	PostProcessor json.RawMessage `json:"post_processor"`
	Decoder       json.RawMessage `json:"decoder"`
	Model         *modelJSON      `json:"model"`
}

// modelJSON is tokenizer.json's "model" object.
type modelJSON struct {
	Type                    string          `json:"type"`
	Dropout                 *float64        `json:"dropout"`
	UnkToken                *string         `json:"unk_token"`
	ContinuingSubwordPrefix *string         `json:"continuing_subword_prefix"`
	EndOfWordSuffix         *string         `json:"end_of_word_suffix"`
	FuseUnk                 bool            `json:"fuse_unk"`
	ByteFallback            bool            `json:"byte_fallback"`
	IgnoreMerges            bool            `json:"ignore_merges"`
	MaxInputCharsPerWord    *int            `json:"max_input_chars_per_word"`
	UnkID                   *int            `json:"unk_id"`
	Vocab                   json.RawMessage `json:"vocab"`
	Merges                  json.RawMessage `json:"merges"`
}

// parseTokenizerJSON reads a tokenizer.json; name is the file's name for errors.
func parseTokenizerJSON(data []byte, name string) (*modelSpec, error) {
	var doc tokenizerJSON
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("tokenizer: %s: %w; expected a HuggingFace tokenizer.json", name, describeJSONError(err))
	}
	m := doc.Model
	if m == nil {
		return nil, fmt.Errorf("tokenizer: %s: no \"model\" object; expected a HuggingFace tokenizer.json", name)
	}
	spec := &modelSpec{source: name, mergesSource: name + " model.merges index", kind: m.Type}
	var err error
	switch m.Type {
	case "", "BPE", "WordPiece":
		err = parseVocabModel(spec, m, name)
	case "Unigram":
		err = parseUnigram(spec, m, name)
	default:
		err = fmt.Errorf("tokenizer: %s: model.type is %q; supported: \"BPE\", \"WordPiece\", \"Unigram\"", name, m.Type)
	}
	if err != nil {
		return nil, err
	}
	for i, a := range doc.AddedTokens {
		if a.ID == nil {
			return nil, fmt.Errorf("tokenizer: %s: added_tokens[%d] (%q) has no id", name, i, a.Content)
		}
		spec.added = append(spec.added, addedToken{content: a.Content, id: *a.ID, special: a.Special,
			lstrip: a.LStrip, rstrip: a.RStrip, singleWord: a.SingleWord, normalized: a.Normalized})
	}
	if err := parsePipeline(&doc, spec); err != nil {
		return nil, err
	}
	return spec, nil
}

// parsePipeline reads the normalizer, pre-tokenizer, post-processor and
// decoder, and works out the vocabulary's family.
func parsePipeline(doc *tokenizerJSON, spec *modelSpec) error {
	p := &componentParser{file: spec.source, vocab: spec.vocab, added: spec.added}
	var err error
	if spec.normalizer, err = p.normalizer(doc.Normalizer, "normalizer"); err != nil {
		return err
	}
	if spec.pre, err = p.preTokenizer(doc.PreTokenizer, "pre_tokenizer"); err != nil {
		return err
	}
	spec.byteLevel = p.sawByteLevel
	if spec.post, err = p.postProcessor(doc.PostProcessor, "post_processor"); err != nil {
		return err
	}
	if spec.decoder, err = p.decoder(doc.Decoder, "decoder"); err != nil {
		return err
	}
	switch {
	case spec.byteLevel || p.sawByteLevelDecoder:
		spec.family = familyByteLevel
	case spec.kind == "WordPiece" || p.sawWordPiece:
		spec.family = familyWordPiece
	case p.sawMetaspace || spec.byteFallback:
		spec.family = familyMetaspace
	}
	return nil
}

// parseVocabModel reads a BPE or WordPiece model: vocab as token -> id, merges for BPE.
func parseVocabModel(spec *modelSpec, m *modelJSON, name string) error {
	if spec.kind == "" {
		spec.kind = "BPE"
	}
	if len(m.Vocab) == 0 || string(m.Vocab) == "null" {
		return fmt.Errorf("tokenizer: %s: no model.vocab; expected an object of token -> id", name)
	}
	if err := json.Unmarshal(m.Vocab, &spec.vocab); err != nil {
		return fmt.Errorf("tokenizer: %s: model.vocab: %w; expected an object of token -> id", name, describeJSONError(err))
	}
	if m.Dropout != nil && *m.Dropout > 0 {
		return fmt.Errorf("tokenizer: %s: model.dropout is %g; BPE dropout is not supported (expected null)", name, *m.Dropout)
	}
	spec.unkToken, spec.prefix, spec.suffix = deref(m.UnkToken), deref(m.ContinuingSubwordPrefix), deref(m.EndOfWordSuffix)
	spec.fuseUnk, spec.byteFallback, spec.ignoreMerges = m.FuseUnk, m.ByteFallback, m.IgnoreMerges
	if spec.kind == "WordPiece" {
		spec.maxChars = 100
		if m.MaxInputCharsPerWord != nil {
			spec.maxChars = *m.MaxInputCharsPerWord
		}
		if m.ContinuingSubwordPrefix == nil {
			spec.prefix = wordPiecePrefix
		}
	} else {
		merges, err := parseJSONMerges(m.Merges, name)
		if err != nil {
			return err
		}
		spec.merges = merges
	}
	return nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// isNull reports whether a JSON value is absent or null.
func isNull(raw json.RawMessage) bool {
	s := strings.TrimSpace(string(raw))
	return s == "" || s == "null"
}

// parseJSONMerges accepts both forms of model.merges: ["a b", ...] (older
// files) and [["a", "b"], ...] (newer ones).
func parseJSONMerges(raw json.RawMessage, name string) ([]mergeEntry, error) {
	if isNull(raw) {
		return nil, fmt.Errorf("tokenizer: %s: no model.merges; expected a list of merges", name)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fmt.Errorf("tokenizer: %s: model.merges: %w; expected a list", name, describeJSONError(err))
	}
	merges := make([]mergeEntry, len(items))
	for i, item := range items {
		var pair []string
		var text string
		switch {
		case len(item) > 0 && item[0] == '"' && json.Unmarshal(item, &text) == nil:
			pair = strings.Split(text, " ")
		case len(item) > 0 && item[0] == '[' && json.Unmarshal(item, &pair) == nil:
		default:
			return nil, fmt.Errorf("tokenizer: %s: model.merges[%d] is %.40s; expected \"left right\" or [\"left\", \"right\"]", name, i, item)
		}
		if len(pair) != 2 || pair[0] == "" || pair[1] == "" {
			return nil, fmt.Errorf("tokenizer: %s: model.merges[%d] is %.40s; expected two non-empty tokens", name, i, item)
		}
		merges[i] = mergeEntry{left: pair[0], right: pair[1], line: i}
	}
	return merges, nil
}

// describeJSONError adds the byte offset to syntax and type errors.
func describeJSONError(err error) error {
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		return fmt.Errorf("invalid JSON at byte %d: %w", syntax.Offset, err)
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return fmt.Errorf("JSON value at byte %d has the wrong type: %w", typeErr.Offset, err)
	}
	return err
}
