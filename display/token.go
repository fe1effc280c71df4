package display

import (
	"fmt"
	"strings"
)

// Token is one token of a sequence as it is shown.
type Token struct {
	// Text is the decoded text, spaces and newlines included (" dog", "\n").
	Text string `json:"text"`
	// ID is the vocabulary id, shown in the tooltip.
	ID int `json:"id"`
	// Partial marks a token that continues the previous word (for GPT-2: the
	// raw token does not start with "Ġ"); it is drawn with no gap before it.
	Partial bool `json:"partial,omitempty"`
}

// newlineMark is shown in place of each "\n" in a token.
const newlineMark = "↵"

// maxBreaks caps the line breaks drawn after one token ("\n\n\n" → 2).
const maxBreaks = 2

// tokenLabel is the visible text of a token: newlines become ↵ and carriage
// returns and tabs become visible marks, so every token has a visible width.
func tokenLabel(s string) string {
	if s == "" {
		return "∅"
	}
	return strings.NewReplacer("\r\n", newlineMark, "\n", newlineMark, "\r", "␍", "\t", "⇥").Replace(s)
}

// tokenBreaks is the number of line breaks to draw after a token.
func tokenBreaks(s string) int { return min(strings.Count(s, "\n"), maxBreaks) }

// tokenCell is the server-side rendering model of one token box.
type tokenCell struct {
	Index    int
	Label    string
	Title    string
	Input    bool
	Partial  bool
	Marker   bool // the ">>" marker goes before this token (first generated)
	Selected bool
	Muted    bool // outside the current attribution prefix
	BG, FG   string
	Bar      string // detailed style: bar width, e.g. "42.0%"; "" for none
	Value    string // detailed style: value text under the token
	Breaks   []struct{}
}

// tokenCells builds the plain cells of a sequence; views then colour them.
func tokenCells(tokens []Token, nInput int) []tokenCell {
	cells := make([]tokenCell, len(tokens))
	for i, t := range tokens {
		kind := "input"
		if i >= nInput {
			kind = "output"
		}
		cells[i] = tokenCell{
			Index:   i,
			Label:   tokenLabel(t.Text),
			Title:   fmt.Sprintf("#%d · id %d · %s", i, t.ID, kind),
			Input:   i < nInput,
			Partial: t.Partial && i > 0,
			Marker:  i == nInput && nInput > 0,
			Breaks:  make([]struct{}, tokenBreaks(t.Text)),
		}
	}
	return cells
}

// checkTokens validates a token sequence and its prompt length.
func checkTokens(view string, tokens []Token, nInput int) error {
	if len(tokens) == 0 {
		return fmt.Errorf("display: %s: Tokens is empty, want at least one token", view)
	}
	if nInput < 0 || nInput > len(tokens) {
		return fmt.Errorf("display: %s: NInput = %d, want 0 ≤ NInput ≤ len(Tokens) = %d", view, nInput, len(tokens))
	}
	return nil
}
