package display

import (
	"fmt"
	"html/template"
	"strings"
	"sync"
)

// Live shows generation as it happens in a GoNB notebook: tokens appear as
// they are produced and long steps show their progress (e.g. "attribution
// 3/10"). It updates one output block in place (gonbui.UpdateHTML). Outside a
// notebook every method only records state, and a nil *Live ignores every
// call, so callers need no checks. Methods are safe for concurrent use.
//
// GoNB treats blocks updated in place as transient: they are not saved with
// the notebook, so show the final views with Display once generation is done.
type Live struct {
	mu       sync.Mutex
	blockID  string // GoNB display id (not a DOM id)
	domID    string
	tokens   []Token
	nInput   int
	label    string
	done     int
	total    int
	finished bool
}

type liveModel struct {
	ID       string
	CSS      template.CSS
	Cells    []tokenCell
	Cursor   bool
	Progress string
	Bar      string
}

// NewLive starts a live view showing the prompt tokens.
func NewLive(prompt []Token) *Live {
	l := &Live{blockID: "ecco-live-" + newID(), domID: newID(), tokens: append([]Token(nil), prompt...), nInput: len(prompt)}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.push()
	return l
}

// Append adds generated tokens and refreshes the view.
func (l *Live) Append(tokens ...Token) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.finished {
		return
	}
	l.tokens = append(l.tokens, tokens...)
	l.push()
}

// Progress shows "label done/total" with a bar; total ≤ 0 clears it.
func (l *Live) Progress(label string, done, total int) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.finished {
		return
	}
	l.label, l.done, l.total = label, done, total
	l.push()
}

// Done removes the cursor and the progress line; calls after it are ignored.
func (l *Live) Done() {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.finished {
		return
	}
	l.finished = true
	l.label, l.total = "", 0
	l.push()
}

// HTML renders the current state: static HTML, no script, because it is
// replaced many times a second.
func (l *Live) HTML() string {
	if l == nil {
		return ""
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.render()
}

func (l *Live) render() string {
	m := liveModel{ID: l.domID, CSS: template.CSS(baseCSS), Cells: tokenCells(l.tokens, l.nInput), Cursor: !l.finished}
	if l.total > 0 {
		done := min(max(l.done, 0), l.total)
		m.Progress = fmt.Sprintf("%s %d/%d", l.label, done, l.total)
		m.Bar = fmt.Sprintf("%.1f%%", 100*float64(done)/float64(l.total))
	}
	var out strings.Builder
	if err := templates.ExecuteTemplate(&out, "live", m); err != nil {
		return errorHTML(fmt.Errorf("display: rendering live view: %w", err))
	}
	return out.String()
}

// push sends the current state to the notebook; l.mu must be held.
func (l *Live) push() {
	if !inNotebook() {
		return
	}
	updateHTML(l.blockID, l.render())
}
