package hub

import (
	"fmt"
	"io"
	"os"
	"time"
)

// largeFileBytes is the size from which the default display shows a file.
const largeFileBytes = 10 << 20

// redrawInterval throttles the live terminal line.
const redrawInterval = 250 * time.Millisecond

// stderrProgress is the default Settings.Progress (see the package doc).
type stderrProgress struct {
	w        io.Writer
	terminal bool
	now      func() time.Time
	lastDraw time.Time
	active   string // file being shown, until its last call
}

func newStderrProgress() *stderrProgress {
	info, err := os.Stderr.Stat()
	terminal := err == nil && info.Mode()&os.ModeCharDevice != 0
	return &stderrProgress{w: os.Stderr, terminal: terminal, now: time.Now}
}

// report has the signature of Settings.Progress.
func (p *stderrProgress) report(file string, done, total int64) {
	finished := total >= 0 && done == total
	if total >= 0 && total < largeFileBytes && p.active != file {
		return // small, and not a file of unknown size that turned out small
	}
	if !p.terminal {
		switch {
		case finished:
			fmt.Fprintf(p.w, "hub: downloaded %s (%s)\n", file, formatBytes(total))
		case p.active != file:
			fmt.Fprintf(p.w, "hub: downloading %s (%s)\n", file, formatBytes(total))
		}
	} else if now := p.now(); p.active != file || finished || now.Sub(p.lastDraw) >= redrawInterval {
		p.lastDraw = now
		line := fmt.Sprintf("\rhub: %s %s / %s", file, formatBytes(done), formatBytes(total))
		if total > 0 {
			line += fmt.Sprintf(" (%d%%)", done*100/total)
		}
		line += "\x1b[K" // erase what a longer previous line left
		if finished {
			line += "\n"
		}
		fmt.Fprint(p.w, line)
	}
	p.active = file
	if finished {
		p.active = ""
	}
}

// formatBytes writes n in binary units with one decimal, "?" when unknown.
func formatBytes(n int64) string {
	if n < 0 {
		return "?"
	}
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	value, suffix := float64(n), ""
	for _, s := range []string{"KiB", "MiB", "GiB", "TiB"} {
		value /= unit
		suffix = s
		if value < unit {
			break
		}
	}
	return fmt.Sprintf("%.1f %s", value, suffix)
}
