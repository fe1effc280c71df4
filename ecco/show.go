package ecco

import (
	"os"
	"path/filepath"
	"sync"

	"github.com/ecco-go/ecco/display"
)

// Every method that displays a view returns its error and, in a notebook, also shows it in
// an error box where the view would have been: an ignored error still shows.

// fastPathNote is shown under the first view of a notebook session when the build lacks the
// SIMD matrix products.
var fastPathNote sync.Once

// firstInSession reports whether this is the first call in the GoNB kernel session: each cell
// is a new program, so a marker file in the kernel's temporary folder remembers it.
func firstInSession(marker string) bool {
	dir := os.Getenv("GONB_TMP_DIR")
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
	fastPathNote.Do(func() {
		if !FastPath() && firstInSession("ecco-fast-path-note") {
			display.ShowNote("ecco-go runs on the portable matrix products (about 10× slower). "+
				"To turn the fast path on, run once:", FastPathCommand)
		}
	})
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
