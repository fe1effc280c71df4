package tokenizer

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestUnigramMatchesSentencePiece encodes the cases of testdata/unigram/spm_ids.json with the
// tokenizer.json written from a SentencePiece unigram model (nmt_nfkc rules, 1000 pieces, a
// [MASK] user symbol; testdata/unigram/README.md says how) and compares with spm_encode's ids:
// the Unigram Viterbi, the Precompiled normalizer (full-width forms, ligatures, fractions,
// symbols), unknown characters fused into one <unk>, and the added token.
func TestUnigramMatchesSentencePiece(t *testing.T) {
	tok, err := LoadDir("testdata/unigram")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("testdata/unigram/spm_ids.json")
	if err != nil {
		t.Fatal(err)
	}
	var golden struct {
		Cases []struct {
			Text string `json:"text"`
			IDs  []int  `json:"ids"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(data, &golden); err != nil {
		t.Fatal(err)
	}
	for _, c := range golden.Cases {
		if got := tok.Encode(c.Text); !slices.Equal(got, c.IDs) {
			i := firstDiff(got, c.IDs)
			t.Errorf("%q: ids %v,\nwant %v (first difference at %d)", c.Text, got, c.IDs, i)
		}
	}
}

// TestUnigramErrors: a malformed Unigram model or charsmap is one error naming the field.
func TestUnigramErrors(t *testing.T) {
	for doc, want := range map[string]string{
		`{"model": {"type": "Unigram", "vocab": [["a", -1.0]]}}`:                                                                                       "model.unk_id is missing",
		`{"model": {"type": "Unigram", "unk_id": 3, "vocab": [["a", -1.0]]}}`:                                                                          "model.unk_id is 3",
		`{"model": {"type": "Unigram", "unk_id": 0, "vocab": [["a", "x"]]}}`:                                                                           "model.vocab[0]",
		`{"model": {"type": "Unigram", "unk_id": 0, "vocab": [["a", -1], ["a", -2]]}}`:                                                                 `repeats the piece "a"`,
		`{"model": {"type": "Unigram", "unk_id": 0, "vocab": {"a": 0}}}`:                                                                               "expected a list of [piece, score]",
		`{"normalizer": {"type": "Precompiled", "precompiled_charsmap": "!!"}, "model": {"type": "Unigram", "unk_id": 0, "vocab": [["a", -1]]}}`:       "precompiled_charsmap",
		`{"normalizer": {"type": "Precompiled", "precompiled_charsmap": "/////w=="}, "model": {"type": "Unigram", "unk_id": 0, "vocab": [["a", -1]]}}`: "trie size",
	} {
		spec, err := parseTokenizerJSON([]byte(doc), "tokenizer.json")
		if err == nil {
			_, err = newTokenizer(spec)
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one containing %q", doc, err, want)
		}
	}
}

// TestPrecompiledUntrusted: a charsmap whose trie points anywhere normalizes without panicking.
func TestPrecompiledUntrusted(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		units := 1 + rng.IntN(64)
		blob := make([]byte, 4+4*units+rng.IntN(16))
		binary.LittleEndian.PutUint32(blob, uint32(4*units))
		for i := 4; i < len(blob); i++ {
			blob[i] = byte(rng.Uint32())
		}
		p, err := parsePrecompiled(base64.StdEncoding.EncodeToString(blob), "normalizer")
		if err != nil {
			t.Fatal(err)
		}
		p.normalize("ｆｕｌｌ　width ① ﬁ\x00 abc \xff")
	}
}
