package ecco

import (
	"github.com/ecco-go/ecco/display"
	"github.com/janpfeifer/gonb/gonbui"
)

// liveProgress starts the live view of a generation in a GoNB notebook and returns the hook that
// feeds it: tokens appear as they are produced and attribution shows its progress. Elsewhere it
// returns a nil hook, which costs nothing.
func (lm *LM) liveProgress(prompt []int) (feed ProgressFunc, done func()) {
	if !gonbui.IsNotebook {
		return nil, func() {}
	}
	live := display.NewLive(lm.displayTokens(prompt))
	return lm.liveFeed(live), live.Done
}

// liveFeed shows each generated token and the progress of the other stages in live.
func (lm *LM) liveFeed(live *display.Live) ProgressFunc {
	return func(e ProgressEvent) {
		switch {
		case e.Stage != StageGenerate:
			live.Progress(string(e.Stage), e.Done, e.Total)
		case e.Done > 0:
			live.Append(lm.displayTokens([]int{e.Token})...)
		}
	}
}

// displayTokens converts ids for the display package.
func (lm *LM) displayTokens(ids []int) []display.Token {
	out := make([]display.Token, len(ids))
	for i, id := range ids {
		out[i] = display.Token{Text: lm.Tokenizer.DisplayToken(id), ID: id, Partial: i > 0 && lm.Tokenizer.IsPartial(id)}
	}
	return out
}
