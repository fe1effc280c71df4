package tokenizer

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// node is any normalizer, pre-tokenizer, post-processor or decoder object of
// tokenizer.json; each type reads the fields it needs.
type node struct {
	Type          string            `json:"type"`
	Normalizers   []json.RawMessage `json:"normalizers"`
	PreTokenizers []json.RawMessage `json:"pretokenizers"`
	Processors    []json.RawMessage `json:"processors"`
	Decoders      []json.RawMessage `json:"decoders"`

	Prepend             string  `json:"prepend"`
	PrecompiledCharsmap *string `json:"precompiled_charsmap"`
	Pattern             *struct {
		String *string `json:"String"`
		Regex  *string `json:"Regex"`
	} `json:"pattern"`
	Content    string `json:"content"`
	StripLeft  bool   `json:"strip_left"`
	StripRight bool   `json:"strip_right"`
	Start      int    `json:"start"`
	Stop       int    `json:"stop"`

	CleanText          *bool `json:"clean_text"`
	HandleChineseChars *bool `json:"handle_chinese_chars"`
	StripAccents       *bool `json:"strip_accents"`
	Lowercase          *bool `json:"lowercase"`

	AddPrefixSpace   *bool  `json:"add_prefix_space"`
	UseRegex         *bool  `json:"use_regex"`
	Behavior         string `json:"behavior"`
	Invert           bool   `json:"invert"`
	Replacement      string `json:"replacement"`
	PrependScheme    string `json:"prepend_scheme"`
	Split            *bool  `json:"split"`
	IndividualDigits bool   `json:"individual_digits"`

	Single        []map[string]struct{ ID string } `json:"single"`
	SpecialTokens map[string]struct {
		IDs []int `json:"ids"`
	} `json:"special_tokens"`
	Sep []json.RawMessage `json:"sep"`
	Cls []json.RawMessage `json:"cls"`

	Prefix  *string `json:"prefix"`
	Cleanup *bool   `json:"cleanup"`
	Suffix  *string `json:"suffix"`
}

// componentParser reads the pipeline of one file and notes what it saw.
type componentParser struct {
	file  string
	vocab map[string]int
	added []addedToken

	sawByteLevel, sawByteLevelDecoder, sawMetaspace, sawWordPiece bool
}

// read decodes one component; ok is false for null.
func (p *componentParser) read(raw json.RawMessage, where string) (n node, ok bool, err error) {
	if isNull(raw) {
		return n, false, nil
	}
	if err := json.Unmarshal(raw, &n); err != nil {
		return n, false, fmt.Errorf("tokenizer: %s: %s: %w", p.file, where, describeJSONError(err))
	}
	return n, true, nil
}

// unsupported is the error for a component type this package does not know.
func (p *componentParser) unsupported(where, kind, typ, supported string) error {
	return fmt.Errorf("tokenizer: %s: %s: %s type %q is not supported (supported: %s)", p.file, where, kind, typ, supported)
}

// parseSequence parses the members of a Sequence component, dropping nulls.
func parseSequence[T any](items []json.RawMessage, where string, parse func(json.RawMessage, string) (T, error)) ([]T, error) {
	var seq []T
	for i, item := range items {
		sub, err := parse(item, fmt.Sprintf("%s[%d]", where, i))
		if err != nil {
			return nil, err
		}
		if any(sub) != nil {
			seq = append(seq, sub)
		}
	}
	return seq, nil
}

func orTrue(b *bool) bool { return b == nil || *b }

func (p *componentParser) normalizer(raw json.RawMessage, where string) (normalizer, error) {
	n, ok, err := p.read(raw, where)
	if !ok || err != nil {
		return nil, err
	}
	switch n.Type {
	case "NFC":
		return unicodeForm{norm.NFC}, nil
	case "NFD":
		return unicodeForm{norm.NFD}, nil
	case "NFKC":
		return unicodeForm{norm.NFKC}, nil
	case "NFKD":
		return unicodeForm{norm.NFKD}, nil
	case "Lowercase":
		return lowercase{}, nil
	case "StripAccents":
		return stripAccents{}, nil
	case "Prepend":
		if strings.Contains(n.Prepend, " ") || n.Prepend == metaspace {
			p.sawMetaspace = true
		}
		return prepend{n.Prepend}, nil
	case "Replace":
		old, pattern, err := p.pattern(n, where)
		if err != nil {
			return nil, err
		}
		if n.Content == metaspace {
			p.sawMetaspace = true
		}
		return replace{old: old, new: n.Content, pattern: pattern}, nil
	case "Strip":
		return strip{left: n.StripLeft, right: n.StripRight}, nil
	case "BertNormalizer":
		lower := orTrue(n.Lowercase)
		accents := lower
		if n.StripAccents != nil {
			accents = *n.StripAccents
		}
		return bertNormalizer{cleanText: orTrue(n.CleanText), chineseChars: orTrue(n.HandleChineseChars), lowercase: lower, stripAccents: accents}, nil
	case "Precompiled":
		if n.PrecompiledCharsmap == nil {
			return nil, fmt.Errorf("tokenizer: %s: %s has no precompiled_charsmap; expected SentencePiece's rules in base64", p.file, where)
		}
		pc, err := parsePrecompiled(*n.PrecompiledCharsmap, where)
		if err != nil {
			return nil, fmt.Errorf("tokenizer: %s: %w", p.file, err)
		}
		return pc, nil
	case "Sequence":
		seq, err := parseSequence(n.Normalizers, where+".normalizers", p.normalizer)
		return normalizerSequence(seq), err
	}
	return nil, p.unsupported(where, "normalizer", n.Type, "NFC, NFD, NFKC, NFKD, Lowercase, StripAccents, Prepend, Replace, Strip, BertNormalizer, Precompiled, Sequence")
}

// pattern reads a Split or Replace pattern: a literal string, or a regex run
// by a hand-written scanner when it is a known split pattern, else by Go's regexp.
func (p *componentParser) pattern(n node, where string) (string, matcher, error) {
	switch {
	case n.Pattern != nil && n.Pattern.String != nil:
		if *n.Pattern.String == "" {
			return "", nil, fmt.Errorf("tokenizer: %s: %s.pattern.String is empty; expected a non-empty string", p.file, where)
		}
		return *n.Pattern.String, nil, nil
	case n.Pattern != nil && n.Pattern.Regex != nil:
		expr := *n.Pattern.Regex
		if s, ok := knownScanners[expr]; ok {
			return "", s, nil
		}
		re, err := regexp.Compile(expr)
		if err != nil {
			return "", nil, fmt.Errorf("tokenizer: %s: %s.pattern.Regex %q: %w; supported are Go regexp syntax and the GPT-2, Llama 3 and Qwen split patterns",
				p.file, where, expr, err)
		}
		return "", goRegexp{re}, nil
	}
	return "", nil, fmt.Errorf("tokenizer: %s: %s has no pattern; expected {\"String\": ...} or {\"Regex\": ...}", p.file, where)
}

func (p *componentParser) preTokenizer(raw json.RawMessage, where string) (preTokenizer, error) {
	n, ok, err := p.read(raw, where)
	if !ok || err != nil {
		return nil, err
	}
	switch n.Type {
	case "ByteLevel":
		p.sawByteLevel = true
		return byteLevelPre{addPrefixSpace: n.AddPrefixSpace != nil && *n.AddPrefixSpace, useRegex: orTrue(n.UseRegex)}, nil
	case "Split":
		old, m, err := p.pattern(n, where)
		if err != nil {
			return nil, err
		}
		if m == nil {
			m = literal(old)
		}
		behavior, err := p.behavior(n.Behavior, where)
		return splitPre{pattern: m, behavior: behavior, invert: n.Invert}, err
	case "Metaspace":
		p.sawMetaspace = true
		return metaspacePre{replacement: p.replacement(n), scheme: p.scheme(n), split: orTrue(n.Split)}, nil
	case "BertPreTokenizer":
		return bertPre{}, nil
	case "Whitespace":
		return whitespacePre{}, nil
	case "WhitespaceSplit":
		return whitespaceSplitPre{}, nil
	case "Digits":
		return digitsPre{individual: n.IndividualDigits}, nil
	case "Punctuation":
		behavior, err := p.behavior(n.Behavior, where)
		return punctuationPre{behavior: behavior}, err
	case "Sequence":
		seq, err := parseSequence(n.PreTokenizers, where+".pretokenizers", p.preTokenizer)
		return preTokenizerSequence(seq), err
	}
	return nil, p.unsupported(where, "pre-tokenizer", n.Type, "ByteLevel, Split, Metaspace, BertPreTokenizer, Whitespace, WhitespaceSplit, Digits, Punctuation, Sequence")
}

func (p *componentParser) behavior(name, where string) (splitBehavior, error) {
	if name == "" {
		return splitIsolated, nil
	}
	b, ok := splitBehaviors[name]
	if !ok {
		return 0, fmt.Errorf("tokenizer: %s: %s.behavior is %q; expected Isolated, Removed, MergedWithPrevious, MergedWithNext or Contiguous", p.file, where, name)
	}
	return b, nil
}

// replacement is Metaspace's marker, ▁ by default.
func (p *componentParser) replacement(n node) string {
	if n.Replacement == "" {
		return metaspace
	}
	return n.Replacement
}

// scheme is Metaspace's prepend scheme; older files give add_prefix_space.
func (p *componentParser) scheme(n node) string {
	switch {
	case n.PrependScheme != "":
		return n.PrependScheme
	case n.AddPrefixSpace != nil && !*n.AddPrefixSpace:
		return prependNever
	}
	return prependAlways
}
