package tokenizer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strings"
)

// VocabTxtFile is BERT's WordPiece vocabulary, one token a line (id = line number), read with
// tokenizer_config.json when a folder has neither tokenizer.json nor vocab.json.
const VocabTxtFile = "vocab.txt"

// bertConfig is what BertTokenizer takes from tokenizer_config.json. Absent keys keep
// BertTokenizer's defaults (lower-casing on, Chinese characters split, accents stripped when
// lower-casing).
type bertConfig struct {
	DoLowerCase          *bool           `json:"do_lower_case"`
	TokenizeChineseChars *bool           `json:"tokenize_chinese_chars"`
	StripAccents         *bool           `json:"strip_accents"`
	Unk                  json.RawMessage `json:"unk_token"`
	Sep                  json.RawMessage `json:"sep_token"`
	Pad                  json.RawMessage `json:"pad_token"`
	Cls                  json.RawMessage `json:"cls_token"`
	Mask                 json.RawMessage `json:"mask_token"`
}

// readVocabTxt builds the tokenizer.json that transformers' BertTokenizerFast converts a
// vocab.txt into (BertNormalizer, BertPreTokenizer, WordPiece, "[CLS] $A [SEP]", the special
// tokens as added tokens) and parses it, so both paths share one implementation.
func readVocabTxt(fsys fs.FS, where string) (*modelSpec, error) {
	data, err := readBounded(fsys, where, VocabTxtFile)
	if err != nil {
		return nil, err
	}
	name := label(where, VocabTxtFile)
	vocab := map[string]int{}
	for id, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if id >= MaxVocabSize {
			return nil, fmt.Errorf("tokenizer: %s has more than %d lines; expected one token a line", name, MaxVocabSize)
		}
		vocab[line] = id // as BertTokenizer's load_vocab: a repeated token keeps its last line
	}
	cfg := bertConfig{}
	cfgData, err := readBounded(fsys, where, TokenizerConfigFile)
	switch {
	case err == nil:
		if err := json.Unmarshal(cfgData, &cfg); err != nil {
			return nil, fmt.Errorf("tokenizer: %s: %w; expected a JSON object", label(where, TokenizerConfigFile), describeJSONError(err))
		}
	case !errors.Is(err, fs.ErrNotExist):
		return nil, err
	}
	special := map[string]string{}
	for _, s := range []struct {
		key, def string
		raw      json.RawMessage
	}{{"unk", "[UNK]", cfg.Unk}, {"sep", "[SEP]", cfg.Sep}, {"pad", "[PAD]", cfg.Pad}, {"cls", "[CLS]", cfg.Cls}, {"mask", "[MASK]", cfg.Mask}} {
		if special[s.key], err = tokenName(s.raw, s.def); err != nil {
			return nil, fmt.Errorf("tokenizer: %s: %s_token: %w", label(where, TokenizerConfigFile), s.key, err)
		}
	}
	for _, key := range []string{"unk", "cls", "sep"} {
		if _, ok := vocab[special[key]]; !ok {
			return nil, fmt.Errorf("tokenizer: %s has no line %q, the %s token tokenizer_config.json names", name, special[key], key)
		}
	}
	doc := map[string]any{
		"normalizer": map[string]any{"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": orTrue(cfg.TokenizeChineseChars),
			"strip_accents": cfg.StripAccents, "lowercase": orTrue(cfg.DoLowerCase)},
		"pre_tokenizer": map[string]any{"type": "BertPreTokenizer"},
		"post_processor": map[string]any{"type": "TemplateProcessing",
			"single": []any{map[string]any{"SpecialToken": map[string]any{"id": special["cls"]}}, map[string]any{"Sequence": map[string]any{"id": "A"}},
				map[string]any{"SpecialToken": map[string]any{"id": special["sep"]}}},
			"special_tokens": map[string]any{special["cls"]: map[string]any{"ids": []int{vocab[special["cls"]]}},
				special["sep"]: map[string]any{"ids": []int{vocab[special["sep"]]}}}},
		"decoder": map[string]any{"type": "WordPiece", "prefix": wordPiecePrefix, "cleanup": true},
		"model":   map[string]any{"type": "WordPiece", "unk_token": special["unk"], "continuing_subword_prefix": wordPiecePrefix, "max_input_chars_per_word": 100, "vocab": vocab},
	}
	var added []map[string]any
	for _, key := range []string{"pad", "unk", "cls", "sep", "mask"} {
		if id, ok := vocab[special[key]]; ok {
			added = append(added, map[string]any{"id": id, "content": special[key], "special": true})
		}
	}
	doc["added_tokens"] = added
	built, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("tokenizer: %s: %w", name, err)
	}
	return parseTokenizerJSON(built, name)
}

// tokenName reads a special token given as a string or as an AddedToken object {"content": ...}.
func tokenName(raw json.RawMessage, def string) (string, error) {
	if isNull(raw) {
		return def, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var obj struct {
		Content string `json:"content"`
	}
	if err := json.Unmarshal(raw, &obj); err != nil || obj.Content == "" {
		return "", fmt.Errorf("%.40s is neither a string nor an object with \"content\"", raw)
	}
	return obj.Content, nil
}
