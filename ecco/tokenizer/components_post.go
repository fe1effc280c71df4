package tokenizer

import (
	"encoding/json"
	"fmt"
)

func (p *componentParser) postProcessor(raw json.RawMessage, where string) (postProcessor, error) {
	n, ok, err := p.read(raw, where)
	if !ok || err != nil {
		return nil, err
	}
	switch n.Type {
	case "ByteLevel":
		return nil, nil // offsets only; the ids are unchanged
	case "TemplateProcessing":
		return p.template(n, where)
	case "BertProcessing", "RobertaProcessing":
		cls, err := p.namedToken(n.Cls, where+".cls")
		if err != nil {
			return nil, err
		}
		sep, err := p.namedToken(n.Sep, where+".sep")
		return wrapPost{cls: cls, sep: sep}, err
	case "Sequence":
		seq, err := parseSequence(n.Processors, where+".processors", p.postProcessor)
		if len(seq) == 0 || err != nil {
			return nil, err
		}
		return postSequence(seq), nil
	}
	return nil, p.unsupported(where, "post-processor", n.Type, "TemplateProcessing, BertProcessing, RobertaProcessing, ByteLevel, Sequence")
}

// template reads TemplateProcessing's single-sequence template.
func (p *componentParser) template(n node, where string) (postProcessor, error) {
	var t templatePost
	sawSequence := false
	for i, item := range n.Single {
		if seq, ok := item["Sequence"]; ok && len(item) == 1 {
			if seq.ID != "A" {
				return nil, fmt.Errorf("tokenizer: %s: %s.single[%d] is sequence %q; expected \"A\" in a single template", p.file, where, i, seq.ID)
			}
			t.items = append(t.items, nil)
			sawSequence = true
			continue
		}
		special, ok := item["SpecialToken"]
		if !ok || len(item) != 1 {
			return nil, fmt.Errorf("tokenizer: %s: %s.single[%d]: expected {\"SpecialToken\": ...} or {\"Sequence\": ...}", p.file, where, i)
		}
		entry, ok := n.SpecialTokens[special.ID]
		if !ok || len(entry.IDs) == 0 {
			return nil, fmt.Errorf("tokenizer: %s: %s.single[%d] names special token %q, which special_tokens does not give ids for", p.file, where, i, special.ID)
		}
		for _, id := range entry.IDs {
			if err := p.checkID(id, special.ID, where); err != nil {
				return nil, err
			}
		}
		t.items = append(t.items, entry.IDs)
	}
	if !sawSequence {
		return nil, fmt.Errorf("tokenizer: %s: %s.single has no $A; expected the sequence in the template", p.file, where)
	}
	return t, nil
}

// namedToken reads a ["[CLS]", 101] pair.
func (p *componentParser) namedToken(pair []json.RawMessage, where string) (int, error) {
	var name string
	var id int
	if len(pair) != 2 || json.Unmarshal(pair[0], &name) != nil || json.Unmarshal(pair[1], &id) != nil {
		return 0, fmt.Errorf("tokenizer: %s: %s: expected [\"token\", id]", p.file, where)
	}
	return id, p.checkID(id, name, where)
}

// checkID makes sure a post-processor's id names a token of the file.
func (p *componentParser) checkID(id int, name, where string) error {
	for _, a := range p.added {
		if a.id == id {
			return nil
		}
	}
	for _, v := range p.vocab {
		if v == id {
			return nil
		}
	}
	return fmt.Errorf("tokenizer: %s: %s adds %q as id %d, which no token has", p.file, where, name, id)
}

func (p *componentParser) decoder(raw json.RawMessage, where string) (decoder, error) {
	n, ok, err := p.read(raw, where)
	if !ok || err != nil {
		return nil, err
	}
	switch n.Type {
	case "ByteLevel":
		p.sawByteLevelDecoder = true
		return byteLevelDecoder{}, nil
	case "Replace":
		old, m, err := p.pattern(n, where)
		if err != nil {
			return nil, err
		}
		if m != nil {
			return nil, fmt.Errorf("tokenizer: %s: %s: a Replace decoder with a regex is not supported; expected a String pattern", p.file, where)
		}
		if old == metaspace {
			p.sawMetaspace = true
		}
		return replaceDecoder{old: old, new: n.Content}, nil
	case "ByteFallback":
		p.sawMetaspace = true
		return byteFallbackDecoder{}, nil
	case "Fuse":
		return fuseDecoder{}, nil
	case "Strip":
		return stripDecoder{content: n.Content, start: n.Start, stop: n.Stop}, nil
	case "Metaspace":
		p.sawMetaspace = true
		return metaspaceDecoder{replacement: p.replacement(n), scheme: p.scheme(n)}, nil
	case "WordPiece":
		p.sawWordPiece = true
		prefix := wordPiecePrefix
		if n.Prefix != nil {
			prefix = *n.Prefix
		}
		return wordPieceDecoder{prefix: prefix, cleanup: orTrue(n.Cleanup)}, nil
	case "BPEDecoder":
		suffix := "</w>"
		if n.Suffix != nil {
			suffix = *n.Suffix
		}
		return bpeSuffixDecoder{suffix: suffix}, nil
	case "Sequence":
		seq, err := parseSequence(n.Decoders, where+".decoders", p.decoder)
		return decoderSequence(seq), err
	}
	return nil, p.unsupported(where, "decoder", n.Type, "ByteLevel, Replace, ByteFallback, Fuse, Strip, Metaspace, WordPiece, BPEDecoder, Sequence")
}
