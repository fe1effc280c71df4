package tokenizer

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/internal/refdata"
)

// readGolden reads tiny-a's reference file for prompt n (tests/testdata/REFERENCE.md).
func readGolden(t *testing.T, n int) *refdata.Golden {
	t.Helper()
	g := refdata.Load(t, "tiny-a", n)
	if len(g.Input.IDs) == 0 || len(g.Input.IDs) != len(g.Input.Tokens) || len(g.Input.IDs) != len(g.Input.Decoded) {
		t.Fatalf("prompt%d.json: input ids/tokens/decoded missing or of different lengths", n)
	}
	return g
}

// TestGoldenPrompts checks ids, byte-level tokens and display strings of the
// three reference prompts against the original Ecco, for both file formats.
func TestGoldenPrompts(t *testing.T) {
	for name, tok := range testTokenizers(t) {
		for n := 1; n <= 3; n++ {
			t.Run(fmt.Sprintf("%s/prompt%d", name, n), func(t *testing.T) {
				g := readGolden(t, n)
				ids := tok.Encode(g.Prompt)
				if i := firstDiff(ids, g.Input.IDs); i >= 0 {
					t.Fatalf("Encode(%q): first difference at %d\n got %v\nwant %v", g.Prompt, i, ids, g.Input.IDs)
				}
				for i, id := range ids {
					if got := tok.Token(id); got != g.Input.Tokens[i] {
						t.Errorf("Token(%d) = %q, want %q", id, got, g.Input.Tokens[i])
					}
					if got := tok.DisplayToken(id); got != g.Input.Decoded[i] {
						t.Errorf("DisplayToken(%d) = %q, want %q", id, got, g.Input.Decoded[i])
					}
					startsWord := strings.HasPrefix(g.Input.Decoded[i], " ") || strings.HasPrefix(g.Input.Decoded[i], "\n")
					if got := tok.IsPartial(id); got != !startsWord {
						t.Errorf("IsPartial(%d) (%q) = %v, want %v", id, g.Input.Decoded[i], got, !startsWord)
					}
					if back, ok := tok.TokenID(g.Input.Tokens[i]); !ok || back != id {
						t.Errorf("TokenID(%q) = %d, %v; want %d", g.Input.Tokens[i], back, ok, id)
					}
				}
				if got := tok.Decode(ids); got != g.Prompt {
					t.Errorf("Decode = %q, want %q", got, g.Prompt)
				}
			})
		}
	}
}

// TestGoldenGeneratedTokens checks Token, DisplayToken and Decode on the ids the
// original generated and on the layer predictions' top tokens (about 650 ids).
func TestGoldenGeneratedTokens(t *testing.T) {
	tok := gpt2(t)
	for n := 1; n <= 3; n++ {
		g := readGolden(t, n)
		for i, id := range g.Greedy.IDs {
			if got := tok.Token(id); got != g.Greedy.Tokens[i] {
				t.Errorf("prompt%d: Token(%d) = %q, want %q", n, id, got, g.Greedy.Tokens[i])
			}
			if got := tok.DisplayToken(id); got != g.Greedy.Decoded[i] {
				t.Errorf("prompt%d: DisplayToken(%d) = %q, want %q", n, id, got, g.Greedy.Decoded[i])
			}
		}
		if got := tok.Decode(g.Greedy.AllIDs); got != g.Greedy.OutputText {
			t.Errorf("prompt%d: Decode(all_ids) = %q, want %q", n, got, g.Greedy.OutputText)
		}
		checked := 0
		for _, step := range g.LayerPredictions {
			for _, layer := range step.Layers {
				for i, id := range layer.TopIDs {
					if got := tok.DisplayToken(id); got != layer.TopTokens[i] {
						t.Errorf("prompt%d: DisplayToken(%d) = %q, want %q", n, id, got, layer.TopTokens[i])
					}
					checked++
				}
			}
		}
		if checked == 0 {
			t.Errorf("prompt%d: no layer_predictions in the golden file", n)
		}
	}
}

func TestVocabularyFacts(t *testing.T) {
	for name, tok := range testTokenizers(t) {
		if got := tok.VocabSize(); got != 50257 {
			t.Errorf("%s: VocabSize = %d, want 50257", name, got)
		}
		if got := tok.EndOfText(); got != 50256 {
			t.Errorf("%s: EndOfText = %d, want 50256", name, got)
		}
		if !tok.IsSpecial(50256) || tok.IsSpecial(50255) {
			t.Errorf("%s: IsSpecial(50256), IsSpecial(50255) = %v, %v; want true, false", name, tok.IsSpecial(50256), tok.IsSpecial(50255))
		}
	}
}
