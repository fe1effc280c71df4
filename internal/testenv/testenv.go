// Package testenv holds what every test package that drives outside tools must decide the same
// way: whether the tests run in CI (where a missing tool fails instead of skipping) and which
// Chromium the browser tests start.
package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// InCI reports whether $CI holds a true value: anything but "", "0", "false", "no" or "off"
// (case-insensitive), so CI=1 and CI=true behave alike.
func InCI() bool {
	switch strings.ToLower(strings.TrimSpace(os.Getenv("CI"))) {
	case "", "0", "false", "no", "off":
		return false
	}
	return true
}

// Chromium returns the browser the tests drive: $ECCO_CHROMIUM when set, else the first of
// chromium, chromium-browser, google-chrome-stable and google-chrome found on PATH.
func Chromium() (string, error) {
	if path := os.Getenv("ECCO_CHROMIUM"); path != "" {
		found, err := exec.LookPath(path)
		if err != nil {
			return "", fmt.Errorf("ECCO_CHROMIUM=%s: %w", path, err)
		}
		return found, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome-stable", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("chromium is not installed: install it with `apt-get install chromium` (Debian) or set ECCO_CHROMIUM")
}
