package tokenizer

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// tokenizerJSON is the part of HuggingFace's tokenizer.json that GPT-2 uses.
type tokenizerJSON struct {
	AddedTokens []struct {
		ID      *int   `json:"id"`
		Content string `json:"content"`
	} `json:"added_tokens"`
	Normalizer   json.RawMessage `json:"normalizer"`
	PreTokenizer *struct {
		Type           string `json:"type"`
		AddPrefixSpace bool   `json:"add_prefix_space"`
		UseRegex       *bool  `json:"use_regex"`
	} `json:"pre_tokenizer"`
	Model *struct {
		Type                    string          `json:"type"`
		Dropout                 *float64        `json:"dropout"`
		ContinuingSubwordPrefix string          `json:"continuing_subword_prefix"`
		EndOfWordSuffix         string          `json:"end_of_word_suffix"`
		IgnoreMerges            bool            `json:"ignore_merges"`
		Vocab                   map[string]int  `json:"vocab"`
		Merges                  json.RawMessage `json:"merges"`
	} `json:"model"`
}

// parseTokenizerJSON reads a tokenizer.json with a BPE model and a ByteLevel
// pre-tokenizer; name is the file's name for errors.
func parseTokenizerJSON(data []byte, name string) (*modelSpec, error) {
	var doc tokenizerJSON
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("tokenizer: %s: %w; expected a HuggingFace tokenizer.json", name, describeJSONError(err))
	}
	m := doc.Model
	switch {
	case m == nil:
		return nil, fmt.Errorf("tokenizer: %s: no \"model\" object; expected a HuggingFace tokenizer.json", name)
	case m.Type != "" && m.Type != "BPE":
		return nil, fmt.Errorf("tokenizer: %s: model.type is %q; only \"BPE\" is supported", name, m.Type)
	case m.Vocab == nil:
		return nil, fmt.Errorf("tokenizer: %s: no model.vocab; expected an object of token -> id", name)
	case m.Dropout != nil && *m.Dropout > 0:
		return nil, fmt.Errorf("tokenizer: %s: model.dropout is %g; BPE dropout is not supported (expected null)", name, *m.Dropout)
	case m.ContinuingSubwordPrefix != "" || m.EndOfWordSuffix != "":
		return nil, fmt.Errorf("tokenizer: %s: model has continuing_subword_prefix %q / end_of_word_suffix %q; only empty ones are supported",
			name, m.ContinuingSubwordPrefix, m.EndOfWordSuffix)
	case m.IgnoreMerges:
		return nil, fmt.Errorf("tokenizer: %s: model.ignore_merges is true; only GPT-2 style BPE (false) is supported", name)
	}
	if n := strings.TrimSpace(string(doc.Normalizer)); n != "" && n != "null" {
		return nil, fmt.Errorf("tokenizer: %s: has a normalizer; only GPT-2 style tokenizers without one are supported", name)
	}
	pre := doc.PreTokenizer
	if pre == nil || pre.Type != "ByteLevel" {
		got := "none"
		if pre != nil {
			got = fmt.Sprintf("%q", pre.Type)
		}
		return nil, fmt.Errorf("tokenizer: %s: pre_tokenizer is %s; only \"ByteLevel\" is supported", name, got)
	}
	if pre.UseRegex != nil && !*pre.UseRegex {
		return nil, fmt.Errorf("tokenizer: %s: pre_tokenizer.use_regex is false; only GPT-2's split (true) is supported", name)
	}
	merges, err := parseJSONMerges(m.Merges, name)
	if err != nil {
		return nil, err
	}
	spec := &modelSpec{
		source:         name,
		mergesSource:   name + " model.merges index",
		vocab:          m.Vocab,
		merges:         merges,
		addPrefixSpace: pre.AddPrefixSpace,
	}
	for i, a := range doc.AddedTokens {
		if a.ID == nil {
			return nil, fmt.Errorf("tokenizer: %s: added_tokens[%d] (%q) has no id", name, i, a.Content)
		}
		spec.added = append(spec.added, addedToken{content: a.Content, id: *a.ID})
	}
	return spec, nil
}

// parseJSONMerges accepts both forms of model.merges: ["a b", ...] (older
// files) and [["a", "b"], ...] (newer ones).
func parseJSONMerges(raw json.RawMessage, name string) ([]mergeEntry, error) {
	if len(raw) == 0 || string(raw) == "null" {
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
		case json.Unmarshal(item, &text) == nil:
			pair = strings.Split(text, " ")
		case json.Unmarshal(item, &pair) == nil:
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
