package ecco

import (
	"os"
	"path/filepath"

	"github.com/ecco-go/ecco/display"
	"github.com/janpfeifer/gonb/gonbui"
)

// Every method that displays a view returns its error and, in a notebook, also shows it in
// an error box where the view would have been: an ignored error still shows.

// noteFastPath shows, once per notebook kernel session, how to turn the SIMD matrix products on
// when the build lacks them. FromPretrained calls it: the one place that reads the build's
// configuration, so views and computations read none.
func noteFastPath() {
	if !gonbui.IsNotebook || FastPath() || !firstInSession(os.Getenv("GONB_TMP_DIR"), "ecco-fast-path-note") {
		return
	}
	display.ShowNote("ecco-go runs on the portable matrix products (about 10× slower). "+
		"To turn the fast path on, run once:", FastPathCommand)
}

// firstInSession reports whether this is the first call in the GoNB kernel session whose
// temporary folder is dir: each cell is a new program, so a marker file there remembers it.
func firstInSession(dir, marker string) bool {
	if dir == "" {
		return true
	}
	f, err := os.OpenFile(filepath.Join(dir, marker), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return false // already there (or the folder is gone: then stay quiet)
	}
	return f.Close() == nil
}

// show validates v and displays it in a notebook (nothing happens outside one).
func show(v display.View) error {
	if val, ok := v.(interface{ Validate() error }); ok {
		if err := val.Validate(); err != nil {
			return shown(err)
		}
	}
	display.Display(v)
	return nil
}

// shown displays a non-nil err in a notebook and returns it.
func shown(err error) error {
	if err != nil {
		display.ShowError(err)
	}
	return err
}

// showView displays what view builds, or its error.
func showView[V display.View](v V, err error) error {
	if err != nil {
		return shown(err)
	}
	return show(v)
}
