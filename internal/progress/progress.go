// Package progress draws ecco's progress events on a terminal as one line rewritten in place,
// for the command-line tool.
package progress

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/ecco-go/ecco/ecco"
)

// redrawInterval throttles the progress line: NMF reports hundreds of iterations a second.
const redrawInterval = 100 * time.Millisecond

// Line draws ecco's progress events on a terminal as one line rewritten in place ("\r", then
// erase to the end of the line); a stage's final event ends the line with a newline or, when
// transient, erases it. A nil *Line draws nothing.
type Line struct {
	mu        sync.Mutex
	w         io.Writer
	now       func() time.Time
	transient bool // erase finished stages instead of keeping their last line

	stage    ecco.Stage
	start    time.Time // the stage's first event
	lastDraw time.Time
	open     bool // a line is drawn and not yet ended
}

// New returns the progress line for w.
func New(w io.Writer, transient bool) *Line {
	return &Line{w: w, now: time.Now, transient: transient}
}

// ForStderr returns the progress line for stderr, or nil when quiet or stderr is not a
// terminal: redirected output gets nothing extra.
func ForStderr(stderr io.Writer, quiet, transient bool) *Line {
	if quiet || !IsTerminal(stderr) {
		return nil
	}
	return New(stderr, transient)
}

// IsTerminal is isTerminal; tests replace it to see the line a terminal would get.
var IsTerminal = isTerminal

// isTerminal reports whether w is a character device such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// Hook is the ecco.ProgressFunc that draws on p; nil for a nil p, which costs ecco nothing.
func (p *Line) Hook() ecco.ProgressFunc {
	if p == nil {
		return nil
	}
	return p.event
}

func (p *Line) event(e ecco.ProgressEvent) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if e.Stage != p.stage || !p.open {
		p.end()
		p.stage, p.start = e.Stage, now
	} else if !e.Final && now.Sub(p.lastDraw) < redrawInterval {
		return
	}
	p.lastDraw = now
	fmt.Fprintf(p.w, "\r%s\x1b[K", describe(e, now.Sub(p.start)))
	p.open = true
	if e.Final {
		p.end()
	}
}

// Close ends a line left open, by a failure midway: the error message then starts a line of its own.
func (p *Line) Close() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.end()
}

// end finishes the open line; p.mu is held.
func (p *Line) end() {
	if !p.open {
		return
	}
	if p.transient {
		fmt.Fprint(p.w, "\r\x1b[K")
	} else {
		fmt.Fprintln(p.w)
	}
	p.open = false
}

// describe is the line for e, elapsed after its stage began: count, rate and time left, or the
// total time once final.
func describe(e ecco.ProgressEvent, elapsed time.Duration) string {
	label, unit := string(e.Stage), "tokens"
	switch e.Stage {
	case ecco.StageGenerate:
		label = "generating"
	case ecco.StageAttribution:
		label = "attribution (" + e.Detail + ")"
	case ecco.StageNMF:
		label, unit = "NMF", "iterations"
	}
	line := fmt.Sprintf("%s %d/%d %s", label, e.Done, e.Total, unit)
	secs := elapsed.Seconds()
	switch {
	case e.Final:
		line += " in " + formatDuration(elapsed)
		if e.Stage == ecco.StageNMF && e.Detail != "" {
			line += ", " + e.Detail
		}
	case e.Done > 0 && secs > 0:
		rate := float64(e.Done) / secs
		line += fmt.Sprintf(", %.3g/s", rate)
		if e.Stage != ecco.StageNMF { // NMF usually stops well before its maximum
			line += ", " + formatDuration(time.Duration(float64(e.Total-e.Done)/rate*float64(time.Second))) + " left"
		}
	}
	return line
}

// formatDuration rounds d for a progress line: 0.4s, 12s, 3m05s.
func formatDuration(d time.Duration) string {
	switch {
	case d < 10*time.Second:
		return fmt.Sprintf("%.1fs", d.Seconds())
	case d < time.Minute:
		return fmt.Sprintf("%.0fs", d.Seconds())
	}
	d = d.Round(time.Second)
	return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
}
