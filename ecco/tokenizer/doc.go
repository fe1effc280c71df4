// Package tokenizer is GPT-2's byte-level BPE tokenizer in pure Go, giving the
// same ids as HuggingFace's GPT2TokenizerFast.
//
// # Files
//
// Load reads a HuggingFace tokenizer.json (BPE model, ByteLevel pre-tokenizer,
// added_tokens; merges as "a b" strings or ["a", "b"] pairs) or, when there is
// none, GPT-2's vocab.json and merges.txt, where <|endoftext|> is the one added
// token if the vocabulary has it. Parsers take an fs.FS; LoadDir is the
// directory form. Every file read is capped at MaxFileSize, ids at
// MaxVocabSize. A missing, oversized or malformed file gives one error naming
// the file and what was expected; nothing is loaded half-way.
// Refused, with an error saying so: a normalizer, BPE dropout, subword
// prefixes/suffixes, ignore_merges, a pre-tokenizer other than ByteLevel, and
// ByteLevel with use_regex false. ByteLevel's add_prefix_space is honoured. The lstrip/rstrip/single_word flags of added
// tokens are not applied (GPT-2 sets none of them), and the post-processor is
// ignored: Encode never adds special tokens.
//
// # Encoding
//
// Added tokens are matched first, so "<|endoftext|>" inside a text becomes id
// 50256 as in HuggingFace. The text between them is cut into words by GPT-2's
// pattern (hand-written, as Go's regexp has no lookahead; \s is Unicode
// White_Space as in HuggingFace), each word's bytes are mapped to GPT-2's
// 256-character alphabet and merged by rank. Encoded words are cached.
//
// # Tokens and display
//
// A token has three forms:
//   - Token: its vocabulary string in byte-level form, "Ġdog", "Ċ";
//   - TokenBytes: its raw bytes, " dog", "\n";
//   - DisplayToken: those bytes as text, what Ecco shows. GPT-2 splits many
//     emoji and CJK characters across tokens, so a token's bytes may be part of
//     a UTF-8 sequence; each invalid sequence is shown as one U+FFFD ("�"), as
//     HuggingFace's decode([id]) shows it. Decode a run of tokens together to
//     see the whole character.
//
// IsPartial tells a token that continues the previous text (no leading
// whitespace) from one that starts a word, so widgets can join them; the tail
// of a split emoji is partial, so joining restores the character.
//
// Ecco itself shows tokenizer.decode([id]), which in transformers also applies
// clean_up_tokenization_spaces (" ." becomes "."); DisplayToken does not: it
// shows the token's bytes exactly.
//
// # Ids that name no token
//
// Token, TokenBytes and DisplayToken return the empty value, IsPartial and
// IsSpecial false, and Decode and DecodeBytes skip them (as HuggingFace does);
// none of them panics.
//
// A Tokenizer is safe for concurrent use.
package tokenizer
