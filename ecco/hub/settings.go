package hub

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// DefaultEndpoint is the hub used when neither Settings.Endpoint nor
// HF_ENDPOINT is set.
const DefaultEndpoint = "https://huggingface.co"

// defaultStallTimeout bounds how long a transfer may deliver no byte.
const defaultStallTimeout = time.Minute

// Settings configure Resolve. A nil *Settings, and every zero field, mean
// "take it from the environment" (see the package documentation).
type Settings struct {
	// CacheDir is the HuggingFace hub cache directory (the one holding
	// models--org--name folders).
	CacheDir string

	// Endpoint is the hub's base URL, e.g. "https://huggingface.co".
	Endpoint string

	// Token is sent as "Authorization: Bearer <Token>" to the endpoint.
	Token string

	// Offline forbids any network access. HF_HUB_OFFLINE also sets it; the
	// environment cannot be overridden back to online from here.
	Offline bool

	// Revision is a branch, tag or 40-hex commit; default "main". It may
	// instead be given as "name@revision"; giving two different ones is an
	// error.
	Revision string

	// Progress, when non-nil, replaces the stderr display; see the package
	// documentation for the call sequence. file is "<id>/<file name>".
	Progress func(file string, done, total int64)

	// stallTimeout overrides defaultStallTimeout (tests only).
	stallTimeout time.Duration
}

// config is Settings with every default applied.
type config struct {
	cacheDir, endpoint, token, revision string
	offline                             bool
	progress                            func(file string, done, total int64)
	stallTimeout                        time.Duration
}

// resolve applies the environment and defaults to s (which may be nil).
func (s *Settings) resolve() (*config, error) {
	var in Settings
	if s != nil {
		in = *s
	}
	c := &config{
		cacheDir:     in.CacheDir,
		endpoint:     firstNonEmpty(in.Endpoint, os.Getenv("HF_ENDPOINT"), DefaultEndpoint),
		token:        firstNonEmpty(in.Token, os.Getenv("HF_TOKEN")),
		revision:     in.Revision,
		offline:      in.Offline || envIsTrue("HF_HUB_OFFLINE"),
		progress:     in.Progress,
		stallTimeout: in.stallTimeout,
	}
	if c.cacheDir == "" {
		dir, err := DefaultCacheDir()
		if err != nil {
			return nil, err
		}
		c.cacheDir = dir
	} else {
		c.cacheDir = expandHome(c.cacheDir)
	}
	if c.stallTimeout <= 0 {
		c.stallTimeout = defaultStallTimeout
	}
	c.endpoint = strings.TrimRight(c.endpoint, "/")
	if u, err := url.Parse(c.endpoint); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("hub: endpoint %q is not an http(s) URL: %w; hint: set HF_ENDPOINT like %s",
			c.endpoint, ErrInvalidName, DefaultEndpoint)
	}
	if c.progress == nil {
		c.progress = newStderrProgress().report
	}
	return c, nil
}

// DefaultCacheDir returns the hub cache directory chosen by the environment:
// $HF_HUB_CACHE, else $HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub,
// else ~/.cache/huggingface/hub.
func DefaultCacheDir() (string, error) {
	if dir := os.Getenv("HF_HUB_CACHE"); dir != "" {
		return expandHome(dir), nil
	}
	if dir := os.Getenv("HF_HOME"); dir != "" {
		return filepath.Join(expandHome(dir), "hub"), nil
	}
	if dir := os.Getenv("XDG_CACHE_HOME"); dir != "" {
		return filepath.Join(expandHome(dir), "huggingface", "hub"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("hub: no cache directory: %w; hint: set HF_HUB_CACHE or Settings.CacheDir", err)
	}
	return filepath.Join(home, ".cache", "huggingface", "hub"), nil
}

// envIsTrue reads a boolean variable the way huggingface_hub does.
func envIsTrue(name string) bool {
	switch strings.ToUpper(strings.TrimSpace(os.Getenv(name))) {
	case "1", "ON", "YES", "TRUE":
		return true
	}
	return false
}

// expandHome replaces a leading "~/" (or a lone "~") by the home directory.
func expandHome(p string) string {
	if p != "~" && !strings.HasPrefix(p, "~/") {
		return p
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return p // left as is; the later os.Stat reports the path verbatim
	}
	return filepath.Join(home, p[1:])
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
