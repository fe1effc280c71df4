// Package tokenizer encodes text as HuggingFace's tokenizers do for a
// tokenizer.json, in pure Go: GPT-2, Llama 3 and Qwen byte-level BPE,
// SentencePiece BPE with byte fallback (Llama 2, Mistral), BERT's WordPiece and
// SentencePiece Unigram (ALBERT, XLM-RoBERTa, T5, Pegasus) with its Precompiled
// normalizer; and SentencePiece Unigram model files (T5's spiece.model) directly.
//
// # Why not go-huggingface
//
// go-huggingface v0.4.3 ships tokenizers/hftokenizer, but on the reference
// strings (tokenizertest) it gets qwen3 35/42, llama3 33/42, sp-bpe-32k 1/42
// and wordpiece-uncased 41/42 right: Go's regexp rejects the split regexes'
// (?!\S) lookahead and it falls back to splitting at ASCII spaces, Prepend
// does nothing, byte_fallback is missing, a null pre-tokenizer splits at
// whitespace, the BERT cleaner keeps zero-width characters and the WordPiece
// decoder ignores cleanup. This package passes 42/42 on each;
// TestUpstreamHFTokenizerDefects fails when upstream fixes a defect.
//
// For SentencePiece Unigram the evidence is the same (testdata/spm: models
// trained by spm_train, 149 strings, spm_encode's ids): go-huggingface's
// tokenizers/sentencepiece (github.com/eliben/go-sentencepiece) refuses every
// Unigram model ("model type UNIGRAM not supported"; it reads BPE only, and
// reads the whole file unbounded), and hftokenizer's Unigram gets 73/149 (T5's
// tokenizer.json form) and 1/149 (Llama's form with byte fallback). This
// package reads the model's protobuf itself (a small bounded wire-format
// reader, no protobuf dependency) and gets every string right on each model
// file (also 12 invalid UTF-8 strings) and 149/149 on T5's form (Llama's:
// 146/149, the other 3 holding user-defined pieces, which transformers makes
// added tokens); TestUpstreamHFTokenizerUnigram fails when upstream catches up.
//
// # Files
//
// Load reads a HuggingFace tokenizer.json or, when there is none,
// SentencePiece's spiece.model (see below), or GPT-2's vocab.json and
// merges.txt (<|endoftext|> is then the one added token), plus
// tokenizer_config.json's clean_up_tokenization_spaces when present. Parsers
// take an fs.FS; LoadDir is the directory form. Every file read is capped at
// MaxFileSize, ids at MaxVocabSize. A missing, oversized or malformed file, or
// a component type this package does not implement, gives one error naming
// the file, the component and what is supported; nothing is loaded half-way.
//
// Supported components:
//   - models: BPE (merges as "a b" or ["a", "b"]; byte_fallback, fuse_unk,
//     ignore_merges, continuing_subword_prefix, end_of_word_suffix; no
//     dropout), WordPiece and Unigram (Viterbi over the piece scores, unknown
//     characters fused, byte_fallback; checked against spm_encode on the
//     tokenizer.json forms of T5's and Llama's converters).
//   - normalizers: NFC, NFD, NFKC, NFKD, Lowercase, StripAccents, Prepend,
//     Replace, Strip, BertNormalizer, Precompiled (SentencePiece's compiled
//     rules, longest match at each position as SentencePiece applies them),
//     Sequence.
//   - pre-tokenizers: ByteLevel (with or without its regex), Split, Metaspace
//     (prepend_scheme always/first/never), BertPreTokenizer, Whitespace,
//     WhitespaceSplit, Digits, Punctuation, Sequence. Split patterns: the
//     GPT-2, Llama 3 and Qwen regexes run by hand-written scanners (Go's regexp
//     has no lookahead and an ASCII-only \s; \s here is Unicode White_Space, as
//     in HuggingFace), other patterns by Go's regexp.
//   - post-processors: TemplateProcessing (its single template), BertProcessing,
//     RobertaProcessing, ByteLevel, Sequence.
//   - decoders: ByteLevel, Replace, ByteFallback, Fuse, Strip, Metaspace,
//     WordPiece, BPEDecoder, Sequence.
//
// # SentencePiece model files
//
// LoadSentencePiece (and Load, for spiece.model) reads a SentencePiece
// ModelProto: pieces, scores and types, trainer_spec (model_type must be
// UNIGRAM; byte_fallback; unk, bos, eos and pad ids) and normalizer_spec
// (precompiled_charsmap, add_dummy_prefix, remove_extra_whitespaces,
// escape_whitespaces). Encoding is SentencePiece's own, checked piece for piece
// against spm_encode: its normalizer (user-defined pieces kept as written, the
// longest compiled rule at each position, an invalid byte as U+FFFD, spaces
// trimmed and collapsed, a dummy ▁ first, spaces as ▁), then one Viterbi over
// the whole normalized text in float32 as SentencePiece computes it (control,
// byte and unused pieces never match; user-defined pieces get SentencePiece's
// bonus; unknown runs fuse into one <unk>, or become <0xNN> pieces with byte
// fallback). Decode is SentencePiece's: unknown as " ⁇ ", bytes regrouped
// into characters, the dummy prefix's space dropped. As in transformers,
// control pieces and <unk> are special tokens matched in the text ("</s>" is
// id 1 for T5), where spm_encode would spell them out. tokenizer_config.json is
// read as T5Tokenizer reads it: EncodeWithSpecialTokens appends </s>; the
// sentinels <extra_id_0> … (extra_ids, 100 by default, <extra_id_0> with the
// highest id), or added_tokens_decoder's tokens when given; a folder without
// the file is taken as T5's; legacy false is refused. Other tokenizer classes
// (Pegasus shifts every id by 103, ALBERT lower-cases first) are refused with
// the reason: load their tokenizer.json. Round trip: with an identity
// normalizer and byte fallback, Decode(Encode(s)) == s for valid UTF-8 without
// ▁ or special tokens; with nmt_nfkc it gives the normalized text back (NFKC
// forms, whitespace collapsed and trimmed) unless a character is unknown.
//
// # Encoding
//
// Added tokens are matched first in the raw text (leftmost, longest on ties,
// honouring lstrip, rstrip and single_word; normalized ones in the normalized
// text), so "<|endoftext|>" inside a text becomes id 50256 as in
// HuggingFace. Each stretch between them is normalized, pre-tokenized and
// encoded word by word by the model; encoded words are cached. Encode gives
// the ids without the post-processor's special tokens, EncodeWithSpecialTokens
// with them (HuggingFace's default). Encode never fails: text that a
// vocabulary without an unknown token cannot spell is dropped.
//
// # Tokens and display
//
// A token has three forms:
//   - Token: its vocabulary string, "Ġdog", "▁dog", "##s", "<0xE2>";
//   - TokenBytes: the bytes it stands for, " dog", " dog", "s", 0xE2;
//   - DisplayToken: those bytes as text, what Ecco shows. Byte-level
//     vocabularies split many emoji and CJK characters across tokens and
//     byte-fallback tokens are single bytes, so a token's bytes may be part
//     of a UTF-8 sequence; each invalid sequence is shown as one U+FFFD, as
//     HuggingFace's decode([id]) shows it. Decode a run of tokens together
//     to see the whole character.
//
// IsPartial tells a token that continues the previous text from one that
// starts a word (Ecco's token_prefix / partial_token_prefix: no leading Ġ or
// ▁, or a leading ##), so widgets can join them.
//
// Decode runs the file's decoder (HuggingFace's tokenizers decode);
// DecodeLikeTransformers adds transformers' clean_up_tokenization when
// tokenizer_config.json asks for it (" ." becomes "."). DisplayToken never
// cleans up: it shows the token's bytes exactly.
//
// # Ids that name no token
//
// Token, TokenBytes and DisplayToken return the empty value, IsPartial and
// IsSpecial false, and Decode and DecodeBytes skip them (as HuggingFace does);
// none of them panics.
//
// A Tokenizer is safe for concurrent use.
package tokenizer
