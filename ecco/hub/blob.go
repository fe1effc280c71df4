package hub

import (
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// maxFileBytes bounds a download whose size the server did not announce.
const maxFileBytes = 256 << 30

// copyBufferBytes is the read size of the download loop.
const copyBufferBytes = 256 << 10

// fetchFile makes snapshot/name point at the file's blob, downloading the
// blob unless the cache already has it at the announced size.
func (t *transport) fetchFile(ctx context.Context, fileURL, repoDir, snapshot, name, label string) error {
	remote, err := t.stat(ctx, fileURL)
	if err != nil {
		return err
	}
	blobPath, err := t.ensureBlob(ctx, fileURL, repoDir, remote, label)
	if err != nil {
		return err
	}
	return linkSnapshot(filepath.Join(snapshot, name), blobPath)
}

// ensureBlob returns the path of remote's blob in repoDir, downloading it
// unless the cache already has it at the announced size.
func (t *transport) ensureBlob(ctx context.Context, fileURL, repoDir string, remote remoteFile, label string) (string, error) {
	blobPath := filepath.Join(repoDir, "blobs", remote.etag)
	info, err := os.Stat(blobPath)
	if err != nil || !info.Mode().IsRegular() || (remote.size >= 0 && info.Size() != remote.size) {
		if err := t.fetchBlob(ctx, fileURL, blobPath, remote, label); err != nil {
			return "", err
		}
	}
	return blobPath, nil
}

// fetchBlob downloads fileURL into blobPath. The bytes go to a unique
// temporary in the same directory, which is renamed only once its size and
// hash are checked; on any failure it is removed.
func (t *transport) fetchBlob(ctx context.Context, fileURL, blobPath string, remote remoteFile, label string) (err error) {
	if err := os.MkdirAll(filepath.Dir(blobPath), 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", filepath.Dir(blobPath), err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(blobPath), filepath.Base(blobPath)+".*.incomplete")
	if err != nil {
		return fmt.Errorf("creating a temporary file for %s: %w", blobPath, err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	size, err := t.receive(ctx, fileURL, tmp, remote, label)
	if err != nil {
		return err
	}
	if err := commitTemp(tmp, blobPath); err != nil {
		return err
	}
	t.cfg.progress(label, size, size)
	return nil
}

// receive GETs fileURL into w and returns the byte count once it matches
// the announced size and the ETag's hash.
func (t *transport) receive(ctx context.Context, fileURL string, w io.Writer, remote remoteFile, label string) (int64, error) {
	// The watchdog cancels the request when no byte arrives for stallTimeout.
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	watchdog := time.AfterFunc(t.cfg.stallTimeout, func() { cancel(errStalled) })
	defer watchdog.Stop()

	req, err := t.newRequest(ctx, http.MethodGet, fileURL)
	if err != nil {
		return 0, err
	}
	resp, err := t.get.Do(req)
	if err != nil {
		return 0, t.transferError(ctx, fileURL, err, 0, remote.size)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, statusError("GET", fileURL, resp)
	}
	total := remote.size
	if resp.ContentLength >= 0 {
		if total >= 0 && resp.ContentLength != total {
			return 0, fmt.Errorf("%w: GET %s: the body has %d bytes but the metadata announced %d",
				ErrDownload, fileURL, resp.ContentLength, total)
		}
		total = resp.ContentLength
	}
	limit := total
	if limit < 0 {
		limit = maxFileBytes
	}
	hasher, wantHash := contentHasher(remote.etag, total)

	t.cfg.progress(label, 0, total)
	buf := make([]byte, copyBufferBytes)
	var done int64
	for {
		n, readErr := resp.Body.Read(buf)
		if n > 0 {
			watchdog.Reset(t.cfg.stallTimeout)
			if done+int64(n) > limit {
				return done, fmt.Errorf("%w: GET %s: more than the %d bytes expected", ErrDownload, fileURL, limit)
			}
			if _, err := w.Write(buf[:n]); err != nil {
				return done, fmt.Errorf("writing %s: %w", label, err)
			}
			if hasher != nil {
				hasher.Write(buf[:n])
			}
			done += int64(n)
			if done != total { // the final call comes once the blob is in place
				t.cfg.progress(label, done, total)
			}
		}
		if readErr == io.EOF {
			break
		}
		if readErr != nil {
			return done, t.transferError(ctx, fileURL, readErr, done, total)
		}
	}
	if total >= 0 && done != total {
		return done, fmt.Errorf("%w: GET %s: got %d of %d bytes", ErrDownload, fileURL, done, total)
	}
	if hasher != nil {
		if got := hex.EncodeToString(hasher.Sum(nil)); got != wantHash {
			return done, fmt.Errorf("%w: GET %s: content hash %s does not match the ETag %s; the file was discarded",
				ErrDownload, fileURL, got, remote.etag)
		}
	}
	return done, nil
}

// commitTemp makes the finished temporary durable and gives it its final
// name in one atomic rename.
func commitTemp(tmp *os.File, path string) error {
	err := tmp.Sync()
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644) // CreateTemp makes 0600; blobs are shared
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("finishing %s: %w", path, err)
	}
	return nil
}

// contentHasher returns the hash an ETag is known to be: SHA-256 of the
// contents for LFS files (64 hex), git's blob SHA-1 for the others (40 hex,
// which needs the size up front). Other ETags are not checked (nil).
func contentHasher(etag string, size int64) (hash.Hash, string) {
	want := strings.ToLower(etag)
	switch {
	case len(want) == 64 && isLowerHex(want):
		return sha256.New(), want
	case len(want) == 40 && isLowerHex(want) && size >= 0:
		h := sha1.New()
		fmt.Fprintf(h, "blob %d\x00", size)
		return h, want
	}
	return nil, ""
}

// transferError explains why a request or body read failed.
func (t *transport) transferError(ctx context.Context, fileURL string, err error, done, total int64) error {
	if cause := context.Cause(ctx); cause == errStalled {
		err = fmt.Errorf("%w for %v", errStalled, t.cfg.stallTimeout)
	}
	size := "an unknown size"
	if total >= 0 {
		size = fmt.Sprint(total)
	}
	return fmt.Errorf("%w: GET %s: failed after %d of %s bytes: %w", ErrDownload, fileURL, done, size, err)
}
