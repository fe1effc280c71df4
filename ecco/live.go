package ecco

import (
	"github.com/ecco-go/ecco/display"
	"github.com/janpfeifer/gonb/gonbui"
)

// newLive starts the live view of a generation in a GoNB notebook: tokens appear as they are
// produced and attribution shows its progress. Elsewhere it returns nil, which ignores calls.
func (lm *LM) newLive(prompt []int) *display.Live {
	if !gonbui.IsNotebook {
		return nil
	}
	return display.NewLive(lm.displayTokens(prompt))
}

// displayTokens converts ids for the display package.
func (lm *LM) displayTokens(ids []int) []display.Token {
	out := make([]display.Token, len(ids))
	for i, id := range ids {
		out[i] = display.Token{Text: lm.Tokenizer.DisplayToken(id), ID: id, Partial: i > 0 && lm.Tokenizer.IsPartial(id)}
	}
	return out
}
