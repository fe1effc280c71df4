package tokenizer

import (
	"compress/gzip"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"
)

// spmCase is one row of testdata/spm/expected_<model>.json (written by regenerate.sh from
// spm_encode --output_format=id and =piece and spm_decode).
type spmCase struct {
	Text    string   `json:"text"`
	Hex     string   `json:"hex"` // invalid UTF-8 cases give their bytes in hex instead of text
	IDs     []int    `json:"ids"`
	Pieces  []string `json:"pieces"`
	Decoded string   `json:"decoded"`
	Source  string   `json:"source"`
}

// spmModels are the models trained by spm_train (testdata/spm/README.md); the first two are
// also in tokenizer.json form.
var spmModels = []string{"unigram_bf", "unigram_nfkc", "unigram_nodummy", "unigram_noescape"}

func spmExpected(tb testing.TB, model string) []spmCase {
	tb.Helper()
	data, err := os.ReadFile("testdata/spm/expected_" + model + ".json")
	if err != nil {
		tb.Fatal(err)
	}
	var doc struct{ Cases []spmCase }
	if err := json.Unmarshal(data, &doc); err != nil {
		tb.Fatal(err)
	}
	if len(doc.Cases) < 100 {
		tb.Fatalf("%s: %d cases; expected 100 or more", model, len(doc.Cases))
	}
	for i, c := range doc.Cases {
		if c.Hex != "" {
			text, err := hex.DecodeString(c.Hex)
			if err != nil {
				tb.Fatal(err)
			}
			doc.Cases[i].Text = string(text)
		}
	}
	return doc.Cases
}

func spmTokenizer(tb testing.TB, model string) *Tokenizer {
	tb.Helper()
	tok, err := LoadSentencePiece(os.DirFS("testdata/spm"), model+".model")
	if err != nil {
		tb.Fatal(err)
	}
	return tok
}

// TestSentencePieceMatchesSpmEncode reads each .model file directly and checks every string of
// cases.json against SentencePiece's own output: the ids, the pieces (an unknown run is one
// piece holding its text, as spm_encode prints it), the normalized text (the pieces joined,
// which checks the normalizer on its own) and spm_decode's text for those ids.
func TestSentencePieceMatchesSpmEncode(t *testing.T) {
	for _, model := range spmModels {
		t.Run(model, func(t *testing.T) {
			tok := spmTokenizer(t, model)
			bad := 0
			for _, c := range spmExpected(t, model) {
				ids := tok.Encode(c.Text)
				if !slices.Equal(ids, c.IDs) {
					bad++
					t.Errorf("%q: ids %v,\nwant %v (%s; first difference at %d)", c.Text, ids, c.IDs, c.Source, firstDiff(ids, c.IDs))
					continue
				}
				for i, id := range ids {
					if got := tok.Token(id); got != c.Pieces[i] && !(id == tok.model.(*unigramModel).unk && c.Pieces[i] != "") {
						t.Errorf("%q: piece %d is %q, want %q", c.Text, i, got, c.Pieces[i])
					}
				}
				if got, want := tok.normalizer.normalize(c.Text), spmJoin(c.Pieces); got != want {
					t.Errorf("%q: normalized to %q, want %q (spm_encode's pieces joined)", c.Text, got, want)
				}
				if got := tok.Decode(ids); got != c.Decoded {
					t.Errorf("%q: decoded %v to %q, want %q", c.Text, ids, got, c.Decoded)
				}
			}
			if bad > 0 {
				t.Logf("%d strings differ", bad)
			}
		})
	}
}

// spmJoin joins pieces as the normalized text they cover: byte pieces as their bytes.
func spmJoin(pieces []string) string {
	var sb strings.Builder
	for _, p := range pieces {
		if b, ok := parseByteToken(p); ok {
			sb.WriteByte(b)
		} else {
			sb.WriteString(p)
		}
	}
	return sb.String()
}

// spmTokenizerJSON loads testdata/spm/tokenizer_<model>.json.gz, the model as transformers'
// converters write it (T5's form for the nfkc model, Llama's for the byte-fallback one).
func spmTokenizerJSON(tb testing.TB, model string) *Tokenizer {
	tb.Helper()
	data := gunzipFile(tb, "testdata/spm/tokenizer_"+model+".json.gz")
	tok, err := LoadTokenizerJSON(fstest.MapFS{"tokenizer.json": {Data: data}}, "tokenizer.json")
	if err != nil {
		tb.Fatal(err)
	}
	return tok
}

func gunzipFile(tb testing.TB, name string) []byte {
	tb.Helper()
	f, err := os.Open(name)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	data, err := io.ReadAll(io.LimitReader(zr, MaxFileSize))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// TestSentencePieceThroughTokenizerJSON: the same models in tokenizer.json form give
// spm_encode's ids too for every valid UTF-8 string (transformers only ever sees valid text),
// except for strings holding a user-defined piece ([MASK], <sep>), where
// transformers' pipeline differs from SentencePiece by design: there they are added tokens that
// cut the text, and the Llama form prepends ▁ to the text after each ("x▁<sep>▁▁y"), while
// SentencePiece segments "▁x▁<sep>▁y" whole.
func TestSentencePieceThroughTokenizerJSON(t *testing.T) {
	for _, model := range spmModels[:2] {
		t.Run(model, func(t *testing.T) {
			tok := spmTokenizerJSON(t, model)
			var userDefined []string
			for id := range spmTokenizer(t, model).model.(*unigramModel).userDefined {
				userDefined = append(userDefined, tok.Token(id))
			}
			same, skipped := 0, 0
			cases := spmExpected(t, model)
			for _, c := range cases {
				if c.Hex != "" {
					continue
				}
				if slices.ContainsFunc(userDefined, func(u string) bool { return strings.Contains(c.Text, u) }) {
					skipped++
					continue
				}
				ids := tok.Encode(c.Text)
				if slices.Equal(ids, c.IDs) {
					same++
					continue
				}
				t.Errorf("%q: ids %v,\nwant %v (first difference at %d)", c.Text, ids, c.IDs, firstDiff(ids, c.IDs))
			}
			t.Logf("%d of %d valid UTF-8 strings give spm_encode's ids; %d hold a user-defined piece", same, len(cases)-countHex(cases), skipped)
		})
	}
}

// FuzzSentencePieceRoundTrip checks what SentencePiece's decoding gives back, seeded with
// cases.json. The byte-fallback model (identity normalizer, whitespace kept) is lossless: for
// valid UTF-8 text without ▁ (which decodes to a space) and without a special token (<s>, </s>,
// <unk>, <extra_id_0>: the text after one gets a dummy prefix of its own),
// Decode(Encode(s)) == s. The nmt_nfkc model normalizes (NFKC-like forms, whitespace runs
// collapsed, ends trimmed), so decoding gives the normalized text back, spaces for ▁ and no
// dummy prefix, whenever no character of it is unknown (unknown runs decode to " ⁇ ").
func FuzzSentencePieceRoundTrip(f *testing.F) {
	for _, c := range spmExpected(f, "unigram_bf") {
		f.Add(c.Text)
	}
	bf, nfkc := spmTokenizer(f, "unigram_bf"), spmTokenizer(f, "unigram_nfkc")
	unk := nfkc.model.(*unigramModel).unk
	f.Fuzz(func(t *testing.T, text string) {
		for _, tok := range []*Tokenizer{bf, nfkc} {
			ids := tok.Encode(text)
			for i, id := range ids {
				if tok.Token(id) == "" {
					t.Fatalf("Encode(%q)[%d] = %d names no token", text, i, id)
				}
			}
			if again := tok.Encode(text); !slices.Equal(again, ids) {
				t.Fatalf("Encode(%q) gave %v, then %v", text, ids, again)
			}
		}
		if !utf8.ValidString(text) {
			return
		}
		if ids := bf.Encode(text); !strings.Contains(text, metaspace) && !slices.ContainsFunc(ids, bf.IsSpecial) {
			if got := bf.Decode(ids); got != text {
				t.Fatalf("byte fallback: Decode(Encode(%q)) = %q", text, got)
			}
		}
		ids := nfkc.Encode(text)
		if slices.Contains(ids, unk) || slices.ContainsFunc(ids, nfkc.IsSpecial) {
			return
		}
		normalized := nfkc.normalizer.normalize(text)
		want := strings.ReplaceAll(strings.TrimPrefix(normalized, metaspace), metaspace, " ")
		if got := nfkc.Decode(ids); got != want {
			t.Fatalf("nmt_nfkc: Decode(Encode(%q)) = %q, want the normalized text %q", text, got, want)
		}
	})
}

func countHex(cases []spmCase) int {
	n := 0
	for _, c := range cases {
		if c.Hex != "" {
			n++
		}
	}
	return n
}
