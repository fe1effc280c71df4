package hub

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	hfhub "github.com/gomlx/go-huggingface/hub"
)

// maxRedirects bounds the HEAD redirects followed (renamed repositories).
const maxRedirects = 5

// remoteFile is what a HEAD on a resolve URL tells about one file.
type remoteFile struct {
	etag string // blob file name; also the content hash when 40 or 64 hex
	size int64  // -1 when not announced
}

// transport talks HTTP to the hub for file metadata and contents.
type transport struct {
	cfg      *config
	endpoint *url.URL
	get      *http.Client // follows redirects, e.g. to the LFS CDN
	head     *http.Client // stops at redirects: an LFS 302 carries the metadata
}

func newTransport(cfg *config) (*transport, error) {
	endpoint, err := url.Parse(cfg.endpoint)
	if err != nil {
		return nil, err
	}
	return &transport{
		cfg:      cfg,
		endpoint: endpoint,
		get:      &http.Client{},
		head: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}},
	}, nil
}

// newRequest sets the headers huggingface_hub sends. The token goes only to
// the endpoint's own host; Go's client also drops it on cross-host redirects.
func (t *transport) newRequest(ctx context.Context, method, rawURL string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, rawURL, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", hfhub.DefaultHttpUserAgent()+"; ecco-go")
	req.Header.Set("Accept-Encoding", "identity") // sizes and hashes are of the raw bytes
	if t.cfg.token != "" && req.URL.Host == t.endpoint.Host {
		req.Header.Set("Authorization", "Bearer "+t.cfg.token)
	}
	return req, nil
}

// stat fetches a file's ETag and size with HEAD requests.
func (t *transport) stat(ctx context.Context, fileURL string) (remoteFile, error) {
	for range maxRedirects {
		req, err := t.newRequest(ctx, http.MethodHead, fileURL)
		if err != nil {
			return remoteFile{}, err
		}
		resp, err := t.head.Do(req)
		if err != nil {
			return remoteFile{}, fmt.Errorf("%w: HEAD %s: %w", ErrDownload, fileURL, err)
		}
		_ = resp.Body.Close()
		linkedETag := resp.Header.Get("X-Linked-Etag")
		switch {
		case resp.StatusCode == http.StatusOK:
			size := parseSize(resp.Header.Get("X-Linked-Size"), resp.ContentLength)
			return newRemoteFile(fileURL, firstNonEmpty(linkedETag, resp.Header.Get("ETag")), size)
		case resp.StatusCode >= 300 && resp.StatusCode < 400 && linkedETag != "":
			// LFS file: the redirect to the CDN describes the real contents.
			return newRemoteFile(fileURL, linkedETag, parseSize(resp.Header.Get("X-Linked-Size"), -1))
		case resp.StatusCode >= 300 && resp.StatusCode < 400:
			next, err := resp.Location()
			if err != nil {
				return remoteFile{}, fmt.Errorf("%w: HEAD %s: %s without a usable Location: %w", ErrDownload, fileURL, resp.Status, err)
			}
			fileURL = next.String()
		default:
			return remoteFile{}, statusError("HEAD", fileURL, resp)
		}
	}
	return remoteFile{}, fmt.Errorf("%w: HEAD %s: more than %d redirects", ErrDownload, fileURL, maxRedirects)
}

// newRemoteFile normalizes an ETag like huggingface_hub (drops W/ and
// quotes) and refuses one that cannot serve as a blob file name.
func newRemoteFile(fileURL, etag string, size int64) (remoteFile, error) {
	etag = strings.Trim(strings.TrimPrefix(strings.TrimSpace(etag), "W/"), `"`)
	if !validName(etag, 128) {
		return remoteFile{}, fmt.Errorf("%w: %s: the server gave no usable ETag (%.80q), needed to name the cached blob; hint: check HF_ENDPOINT",
			ErrDownload, fileURL, etag)
	}
	return remoteFile{etag: etag, size: size}, nil
}

// parseSize reads an X-Linked-Size header, falling back to fallback.
func parseSize(header string, fallback int64) int64 {
	if n, err := strconv.ParseInt(header, 10, 64); err == nil && n >= 0 {
		return n
	}
	return fallback
}

// statusError describes a failed response, with the hub's own message.
func statusError(method, rawURL string, resp *http.Response) error {
	msg := resp.Header.Get("X-Error-Message")
	if len(msg) > 200 {
		msg = msg[:200]
	}
	if msg != "" {
		msg = ": " + msg
	}
	hint := ""
	if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
		hint = "; hint: a private or gated model needs HF_TOKEN"
	}
	return fmt.Errorf("%w: %s %s: HTTP %s%s%s", ErrDownload, method, rawURL, resp.Status, msg, hint)
}

// errStalled cancels a transfer that stopped delivering bytes.
var errStalled = errors.New("no data received")
