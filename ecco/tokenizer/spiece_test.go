package tokenizer

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
)

// spmCase is one row of testdata/spm/expected_<model>.json (written by regenerate.sh from
// spm_encode --output_format=id and =piece and spm_decode).
type spmCase struct {
	Text    string   `json:"text"`
	IDs     []int    `json:"ids"`
	Pieces  []string `json:"pieces"`
	Decoded string   `json:"decoded"`
	Source  string   `json:"source"`
}

// spmModels are the two models trained by spm_train (testdata/spm/README.md).
var spmModels = []string{"unigram_bf", "unigram_nfkc"}

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
