package hub

import (
	"github.com/ecco-go/ecco/ecco/atomicfile"

	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// maxRefBytes bounds the read of a refs/<revision> file (40 hex expected).
const maxRefBytes = 256

// findInCache returns the snapshot directory of id at revision when it holds
// every required file. The error says what was missing and where.
func findInCache(cacheDir, id, revision string) (string, error) {
	repoDir := repoCacheDir(cacheDir, id)
	commit := revision
	if !isCommitHash(revision) {
		var err error
		if commit, err = readRef(repoDir, revision); err != nil {
			return "", err
		}
	}
	snapshot := filepath.Join(repoDir, "snapshots", commit)
	err := checkFiles(regularFileIn(snapshot))
	if err == nil {
		err = checkShards(snapshot)
	}
	if err != nil {
		return "", fmt.Errorf("snapshot %s: %w", snapshot, err)
	}
	return snapshot, nil
}

// readRef reads the commit hash that refs/<revision> records.
func readRef(repoDir, revision string) (string, error) {
	path := filepath.Join(repoDir, "refs", revision)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("no %s: revision %q was never downloaded", path, revision)
	}
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxRefBytes))
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", path, err)
	}
	commit := strings.TrimSpace(string(data))
	if !isCommitHash(commit) {
		return "", fmt.Errorf("%s holds %.50q, expected a 40-hex commit hash; hint: delete it to download again", path, commit)
	}
	return commit, nil
}

// writeRef records that revision points at commit, atomically.
func writeRef(repoDir, revision, commit string) error {
	path := filepath.Join(repoDir, "refs", revision)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := atomicfile.WriteBytes(path, []byte(commit)); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// linkSnapshot points snapshots/<commit>/<name> at blobPath with a relative
// symlink, as huggingface_hub does, replacing any previous link atomically.
func linkSnapshot(linkPath, blobPath string) error {
	if err := os.MkdirAll(filepath.Dir(linkPath), 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", filepath.Dir(linkPath), err)
	}
	target, err := filepath.Rel(filepath.Dir(linkPath), blobPath)
	if err != nil {
		target = blobPath
	}
	tmp := linkPath + "." + randomSuffix() + ".tmp"
	if err := os.Symlink(target, tmp); err != nil {
		return fmt.Errorf("linking %s: %w", linkPath, err)
	}
	if err := os.Rename(tmp, linkPath); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("linking %s: %w", linkPath, err)
	}
	return nil
}

func randomSuffix() string {
	var b [6]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported systems
	return hex.EncodeToString(b[:])
}
