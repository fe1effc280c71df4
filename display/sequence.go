package display

import "fmt"

// Sequence shows a token sequence (Ecco's out.Show()/explorable): prompt and
// generated tokens styled apart, partial tokens joined to the previous one,
// newlines drawn as ↵ plus a line break, and ">>" before the first generated
// token.
type Sequence struct {
	Tokens []Token
	NInput int // number of prompt tokens; Tokens[NInput:] were generated
}

// sequenceData is the JSON handed to sequence.js.
type sequenceData struct {
	Tokens []Token `json:"tokens"`
	NInput int     `json:"nInput"`
}

type sequenceModel struct {
	Caption string
	Cells   []tokenCell
}

// Validate reports why s cannot be drawn, or nil.
func (s Sequence) Validate() error { return checkTokens("Sequence", s.Tokens, s.NInput) }

// HTML renders s as a self-contained fragment.
func (s Sequence) HTML() string {
	if err := s.Validate(); err != nil {
		return errorHTML(err)
	}
	model := sequenceModel{Caption: sequenceCaption(len(s.Tokens), s.NInput), Cells: tokenCells(s.Tokens, s.NInput)}
	return render("eg-sequence", "sequence", model, sequenceData{s.Tokens, s.NInput}, viewScript("sequence.js"))
}

// Display shows s in a GoNB notebook; it does nothing elsewhere.
func (s Sequence) Display() { show(s) }

// Save writes s as a standalone HTML page.
func (s Sequence) Save(path string) error { return WritePage(path, "Ecco · tokens", s) }

func sequenceCaption(n, nInput int) string {
	return fmt.Sprintf("%d prompt tokens · %d generated", nInput, n-nInput)
}
