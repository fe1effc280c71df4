package hub

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var allTinyFiles = []string{"config.json", "generation_config.json", "merges.txt", "model.safetensors",
	"special_tokens_map.json", "tokenizer.json", "tokenizer_config.json", "vocab.json"}

func TestResolveDownloadsThenWorksOffline(t *testing.T) {
	hub := newFakeHub(t)
	repo := hub.addTinyRepo("org/tiny")
	srv := hub.start()
	cache := t.TempDir()
	var progress progressLog
	settings := &Settings{CacheDir: cache, Endpoint: srv.URL, Progress: progress.report}

	dir, err := Resolve(context.Background(), "org/tiny", settings)
	if err != nil {
		t.Fatal(err)
	}
	wantDir := filepath.Join(cache, "models--org--tiny", "snapshots", repo.commit)
	if dir != wantDir {
		t.Fatalf("dir = %s, want %s", dir, wantDir)
	}
	checkSameFiles(t, dir, allTinyFiles...)
	if _, err := os.Lstat(filepath.Join(dir, "README.md")); err == nil {
		t.Error("README.md was downloaded; only model files should be")
	}

	// Layout of huggingface_hub: refs/main, relative links into blobs/<etag>.
	ref, err := os.ReadFile(filepath.Join(cache, "models--org--tiny", "refs", "main"))
	if err != nil || string(ref) != repo.commit {
		t.Errorf("refs/main = %q (%v), want %q", ref, err, repo.commit)
	}
	link, err := os.Readlink(filepath.Join(dir, "config.json"))
	if wantLink := "../../blobs/" + gitBlobSHA1(repo.files["config.json"]); err != nil || link != wantLink {
		t.Errorf("config.json links to %q (%v), want %q", link, err, wantLink)
	}
	if left := leftovers(t, cache); len(left) > 0 {
		t.Errorf("temporaries left behind: %v", left)
	}

	progress.check(t, "org/tiny/model.safetensors", int64(len(repo.files["model.safetensors"])))

	// Second call: the server is gone and the cache must suffice.
	srv.Close()
	requests := len(hub.log())
	for _, s := range []*Settings{settings, {CacheDir: cache, Endpoint: srv.URL, Offline: true},
		{CacheDir: cache, Endpoint: srv.URL, Revision: repo.commit}} {
		again, err := Resolve(context.Background(), "org/tiny", s)
		if err != nil || again != dir {
			t.Errorf("Resolve with the server stopped (settings %+v) = %q, %v; want %q", *s, again, err, dir)
		}
	}
	if n := len(hub.log()); n != requests {
		t.Errorf("cached resolves made %d requests", n-requests)
	}
}

func TestResolveOfflineWithEmptyCache(t *testing.T) {
	hub := newFakeHub(t)
	hub.addTinyRepo("org/tiny")
	srv := hub.start()
	cache := t.TempDir()
	t.Setenv("HF_HUB_OFFLINE", "1")

	_, err := Resolve(context.Background(), "org/tiny", &Settings{CacheDir: cache, Endpoint: srv.URL})
	if !errors.Is(err, ErrNotInCache) {
		t.Fatalf("err = %v, want ErrNotInCache", err)
	}
	wantErr(t, err, `"org/tiny"`, cache, filepath.Join("models--org--tiny", "refs", "main"), "HF_HUB_OFFLINE")
	if log := hub.log(); len(log) > 0 {
		t.Errorf("offline mode made requests: %v", log)
	}
}

func TestResolveOfflineNamesMissingFiles(t *testing.T) {
	// refs/main exists but the snapshot lacks the weights.
	cache := t.TempDir()
	commit := strings.Repeat("ab", 20)
	repoDir := filepath.Join(cache, "models--gpt2")
	writeCachedFile(t, repoDir, commit, "config.json", []byte("{}"))
	writeCachedFile(t, repoDir, commit, "tokenizer.json", []byte("{}"))
	if err := writeRef(repoDir, "main", commit); err != nil {
		t.Fatal(err)
	}
	_, err := Resolve(context.Background(), "gpt2", &Settings{CacheDir: cache, Offline: true})
	if !errors.Is(err, ErrNotInCache) || !errors.Is(err, ErrMissingFiles) {
		t.Fatalf("err = %v, want ErrNotInCache and ErrMissingFiles", err)
	}
	wantErr(t, err, "model.safetensors", filepath.Join("snapshots", commit))
}

func TestResolveUsesCacheWrittenLikePython(t *testing.T) {
	// A cache laid out by huggingface_hub, and an endpoint nobody listens on.
	cache := t.TempDir()
	commit := strings.Repeat("0f", 20)
	repoDir := filepath.Join(cache, "models--distilgpt2")
	for _, name := range []string{"config.json", "model.safetensors", "vocab.json", "merges.txt"} {
		data, err := os.ReadFile(filepath.Join(tinyDir, name))
		if err != nil {
			t.Fatal(err)
		}
		writeCachedFile(t, repoDir, commit, name, data)
	}
	if err := os.MkdirAll(filepath.Join(repoDir, "refs"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(repoDir, "refs", "main"), []byte(commit+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir, err := Resolve(context.Background(), "distilgpt2", &Settings{CacheDir: cache, Endpoint: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	checkSameFiles(t, dir, "config.json", "model.safetensors", "vocab.json", "merges.txt")
}

// writeCachedFile stores data as huggingface_hub would: a blob plus a
// relative snapshot link.
func writeCachedFile(t *testing.T, repoDir, commit, name string, data []byte) {
	t.Helper()
	blob := filepath.Join(repoDir, "blobs", gitBlobSHA1(data))
	if err := os.MkdirAll(filepath.Dir(blob), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(blob, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := linkSnapshot(filepath.Join(repoDir, "snapshots", commit, name), blob); err != nil {
		t.Fatal(err)
	}
}

func TestResolveFailedDownloadLeavesNothing(t *testing.T) {
	const weights = "model.safetensors"
	cases := []struct {
		name     string
		breakHub func(*fakeHub)
		stall    time.Duration // Settings.stallTimeout; 0 keeps the default minute
		fragment string
	}{
		{"connection closed", func(h *fakeHub) { h.cutAfter[weights] = 1 << 20 }, 0, "after 1048576 of 13301576 bytes"},
		{"server error", func(h *fakeHub) { h.fail[weights] = true }, 0, "HTTP 500"},
		{"stalled", func(h *fakeHub) { h.stallAfter[weights] = 4096 }, 300 * time.Millisecond, "no data received for 300ms"},
		{"corrupted", func(h *fakeHub) { h.corrupt[weights] = true }, 0, "does not match the ETag"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			broken := newFakeHub(t)
			repo := broken.addTinyRepo("org/tiny")
			c.breakHub(broken)
			srv := broken.start()
			cache := t.TempDir()
			settings := &Settings{CacheDir: cache, Endpoint: srv.URL, Progress: func(string, int64, int64) {},
				stallTimeout: c.stall}

			_, err := Resolve(context.Background(), "org/tiny", settings)
			if !errors.Is(err, ErrDownload) {
				t.Fatalf("err = %v, want ErrDownload", err)
			}
			wantErr(t, err, `"org/tiny"`, weights, c.fragment, "retry")
			repoDir := filepath.Join(cache, "models--org--tiny")
			sum := sha256.Sum256(repo.files[weights])
			for _, p := range []string{
				filepath.Join(repoDir, "blobs", hex.EncodeToString(sum[:])),
				filepath.Join(repoDir, "snapshots", repo.commit, weights),
				filepath.Join(repoDir, "refs", "main"),
			} {
				if _, err := os.Lstat(p); err == nil {
					t.Errorf("%s exists after the failed download", p)
				}
			}
			if left := leftovers(t, cache); len(left) > 0 {
				t.Errorf("temporaries left behind: %v", left)
			}

			// A healthy server then completes the same cache.
			healthy := newFakeHub(t)
			healthy.addTinyRepo("org/tiny")
			settings.Endpoint = healthy.start().URL
			settings.stallTimeout = 0
			dir, err := Resolve(context.Background(), "org/tiny", settings)
			if err != nil {
				t.Fatal(err)
			}
			checkSameFiles(t, dir, allTinyFiles...)
			for _, r := range healthy.log() {
				if strings.HasSuffix(r, "/config.json") && strings.HasPrefix(r, "GET") {
					t.Errorf("retry fetched config.json again (%s) although it was cached", r)
				}
			}
		})
	}
}
