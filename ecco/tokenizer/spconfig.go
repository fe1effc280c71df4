package tokenizer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
)

// spConfig is what a SentencePiece checkpoint's tokenizer_config.json adds to the model file.
type spConfig struct {
	Class       string `json:"tokenizer_class"`
	ExtraIDs    *int   `json:"extra_ids"`
	CleanUp     *bool  `json:"clean_up_tokenization_spaces"`
	Legacy      *bool  `json:"legacy"`
	AddedTokens map[string]struct {
		Content    string `json:"content"`
		LStrip     bool   `json:"lstrip"`
		RStrip     bool   `json:"rstrip"`
		SingleWord bool   `json:"single_word"`
		Special    bool   `json:"special"`
	} `json:"added_tokens_decoder"`
}

// maxExtraIDs bounds T5's sentinel tokens (checkpoints use 100).
const maxExtraIDs = 10000

// readSPConfig applies tokenizer_config.json (configName, beside the model file), read as transformers' T5Tokenizer does (the
// class of the T5 and T0 checkpoints Ecco lists); a folder without one is read as T5's too:
//   - the post-processor appends the eos piece (</s>), as T5Tokenizer does;
//   - added_tokens_decoder, when present, gives every added token with its id; otherwise
//     extra_ids (100 when absent) sentinels <extra_id_0> … follow the pieces, <extra_id_0>
//     having the highest id, as T5Tokenizer numbers them;
//   - clean_up_tokenization_spaces is kept for DecodeLikeTransformers;
//   - legacy must be true or absent: each stretch of text between special tokens gets its own
//     dummy prefix, as SentencePiece gives every call one.
//
// Other tokenizer classes are refused with the reason, rather than encoded differently from
// transformers.
func readSPConfig(fsys fs.FS, where, configName string, m *spmModel, spec *modelSpec) error {
	name := label(where, configName)
	var cfg spConfig
	data, err := readBounded(fsys, where, configName)
	switch {
	case err == nil:
		if err := json.Unmarshal(data, &cfg); err != nil {
			return fmt.Errorf("tokenizer: %s: %w; expected a JSON object", name, describeJSONError(err))
		}
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	switch cfg.Class {
	case "", "T5Tokenizer", "T5TokenizerFast":
	case "PegasusTokenizer", "PegasusTokenizerFast":
		return fmt.Errorf("tokenizer: %s: %w", name, errPegasus)
	default:
		return fmt.Errorf("tokenizer: %s: tokenizer_class %q with %s is not supported (supported: T5Tokenizer, whose template and sentinels this package reproduces); load the checkpoint's tokenizer.json instead",
			name, cfg.Class, spec.source)
	}
	if cfg.Legacy != nil && !*cfg.Legacy {
		return fmt.Errorf("tokenizer: %s: legacy is false (T5Tokenizer then puts no ▁ before the text after a special token), which this package does not reproduce from %s; expected legacy true or absent, or load the checkpoint's tokenizer.json",
			name, spec.source)
	}
	spec.cleanUp = cfg.CleanUp != nil && *cfg.CleanUp
	if m.eosID < 0 {
		return fmt.Errorf("tokenizer: %s: trainer_spec.eos_id is -1; expected an eos piece (</s>), which T5's template appends", spec.source)
	}
	spec.post = templatePost{items: [][]int{nil, {m.eosID}}}
	if cfg.AddedTokens != nil {
		return addConfigTokens(&cfg, spec, name)
	}
	extra := 100
	if cfg.ExtraIDs != nil {
		extra = *cfg.ExtraIDs
	}
	if extra < 0 || extra > maxExtraIDs {
		return fmt.Errorf("tokenizer: %s: extra_ids is %d; expected 0 to %d", name, extra, maxExtraIDs)
	}
	for i := range extra {
		spec.added = append(spec.added, addedToken{content: fmt.Sprintf("<extra_id_%d>", i), id: len(m.pieces) + extra - 1 - i, special: true})
	}
	return nil
}

// addConfigTokens adds added_tokens_decoder's tokens (by id, in id order). They are matched in
// the raw text: SentencePiece's normalizer would put a dummy prefix before them.
func addConfigTokens(cfg *spConfig, spec *modelSpec, name string) error {
	known := map[int]bool{}
	for _, a := range spec.added {
		known[a.id] = true
	}
	var added []addedToken
	for key, a := range cfg.AddedTokens {
		id, err := strconv.Atoi(key)
		if err != nil || id < 0 || id >= MaxVocabSize {
			return fmt.Errorf("tokenizer: %s: added_tokens_decoder key %q; expected an id from 0 to %d", name, key, MaxVocabSize-1)
		}
		if a.Content == "" {
			return fmt.Errorf("tokenizer: %s: added_tokens_decoder[%q] has no content; expected the token's text", name, key)
		}
		if !known[id] { // a control or unknown piece is added already
			added = append(added, addedToken{content: a.Content, id: id, special: a.Special,
				lstrip: a.LStrip, rstrip: a.RStrip, singleWord: a.SingleWord})
		}
	}
	sort.Slice(added, func(i, j int) bool { return added[i].id < added[j].id })
	spec.added = append(spec.added, added...)
	return nil
}
