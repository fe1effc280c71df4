package hub

import (
	"fmt"
	"path/filepath"
	"strings"

	hfhub "github.com/gomlx/go-huggingface/hub"
)

// Limits from the hub's naming rules, which also keep ids safe as path parts.
const (
	maxNamePartLen = 96
	maxRevisionLen = 255
)

// parseHubID splits "org/name@revision" into a validated id and revision.
// defaultRevision (Settings.Revision) applies when no "@" is given; "main"
// when both are empty.
func parseHubID(s, defaultRevision string) (id, revision string, err error) {
	id, revision = s, defaultRevision
	if at := strings.LastIndexByte(s, '@'); at >= 0 {
		id, revision = s[:at], s[at+1:]
		if defaultRevision != "" && defaultRevision != revision {
			return "", "", fmt.Errorf("hub: %q asks for revision %q but Settings.Revision is %q: %w; hint: give the revision only once",
				s, revision, defaultRevision, ErrInvalidName)
		}
	}
	if revision == "" {
		revision = "main"
	}
	parts := strings.Split(id, "/")
	if len(parts) > 2 {
		return "", "", fmt.Errorf("hub: %q is not a hub id (name or org/name) nor an existing directory: %w; hint: check the path",
			s, ErrInvalidName)
	}
	for _, p := range parts {
		if !validName(p, maxNamePartLen) {
			return "", "", fmt.Errorf("hub: %q is not an existing directory, and %q is not a valid hub name part "+
				"(letters, digits, '-', '_', '.'; no \"--\" or \"..\"; at most %d characters): %w; hint: pass a directory or an id like \"gpt2\" or \"org/name\"",
				s, p, maxNamePartLen, ErrInvalidName)
		}
	}
	if !validName(revision, maxRevisionLen) {
		return "", "", fmt.Errorf("hub: %q: revision %q must be a branch, tag or commit hash made of letters, digits, '-', '_', '.': %w",
			s, revision, ErrInvalidName)
	}
	return id, revision, nil
}

// validName reports whether s is a hub name part or revision that is also a
// harmless single path element.
func validName(s string, maxLen int) bool {
	if s == "" || len(s) > maxLen || strings.Contains(s, "--") || strings.Contains(s, "..") {
		return false
	}
	for i, r := range s {
		alnum := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		if !alnum && (i == 0 || (r != '-' && r != '_' && r != '.')) {
			return false
		}
	}
	return true
}

// isCommitHash reports whether s is a full 40-hex git commit id.
func isCommitHash(s string) bool {
	return len(s) == 40 && isLowerHex(s)
}

func isLowerHex(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}

// repoCacheDir is models--org--name under cacheDir, the folder naming of
// huggingface_hub (and of go-huggingface, whose constants are used).
func repoCacheDir(cacheDir, id string) string {
	parts := append([]string{string(hfhub.RepoTypeModel)}, strings.Split(id, "/")...)
	return filepath.Join(cacheDir, strings.Join(parts, hfhub.RepoIdSeparator))
}
