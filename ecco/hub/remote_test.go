package hub

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestResolveHonoursEnvironment(t *testing.T) {
	hub := newFakeHub(t)
	hub.token = "secret"
	repo := hub.addTinyRepo("tiny")
	srv := hub.start()
	cache := t.TempDir()
	t.Setenv("HF_ENDPOINT", srv.URL)
	t.Setenv("HF_HUB_CACHE", cache)
	t.Setenv("HF_HUB_OFFLINE", "")
	t.Setenv("HF_TOKEN", "")

	_, err := Resolve(context.Background(), "tiny", &Settings{Progress: func(string, int64, int64) {}})
	if !errors.Is(err, ErrDownload) {
		t.Fatalf("without a token: err = %v, want ErrDownload", err)
	}
	wantErr(t, err, `"tiny"`, "401", "HF_TOKEN", srv.URL)

	t.Setenv("HF_TOKEN", "secret")
	dir, err := Resolve(context.Background(), "tiny", &Settings{Progress: func(string, int64, int64) {}})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(cache, "models--tiny", "snapshots", repo.commit); dir != want {
		t.Errorf("dir = %s, want %s", dir, want)
	}
	checkSameFiles(t, dir, allTinyFiles...)
}

func TestResolveRefusesPickle(t *testing.T) {
	hub := newFakeHub(t)
	hub.addRepo("org/pickled", map[string][]byte{
		"config.json": []byte("{}"), "tokenizer.json": []byte("{}"), "pytorch_model.bin": []byte("\x80\x02pickle"),
	})
	hub.addRepo("org/notokenizer", map[string][]byte{
		"config.json": []byte("{}"), "model.safetensors": []byte("x"), "vocab.json": []byte("{}"),
	})
	srv := hub.start()
	s := &Settings{CacheDir: t.TempDir(), Endpoint: srv.URL}
	cases := []struct {
		id        string
		is        error
		fragments []string
	}{
		{"org/pickled", ErrSafetensorsRequired, []string{`"org/pickled"`, "pytorch_model.bin", "model.safetensors"}},
		{"org/notokenizer", ErrMissingFiles, []string{`"org/notokenizer"`, "tokenizer.json (or vocab.json and merges.txt, or vocab.txt)"}},
		{"org/absent", ErrDownload, []string{`"org/absent"`, "404", "Repository not found"}},
	}
	for _, c := range cases {
		_, err := Resolve(context.Background(), c.id, s)
		if !errors.Is(err, c.is) {
			t.Errorf("Resolve(%q) = %v, want %v", c.id, err, c.is)
			continue
		}
		wantErr(t, err, c.fragments...)
	}
	// The refusals are decided from the listing: no file was fetched.
	for _, r := range hub.log() {
		if strings.Contains(r, "/resolve/") {
			t.Errorf("a refused repository was downloaded from: %s", r)
		}
	}
}

func TestResolvePinnedRevision(t *testing.T) {
	hub := newFakeHub(t)
	repo := hub.addTinyRepo("org/tiny", "config.json", "model.safetensors", "vocab.json", "merges.txt")
	srv := hub.start()
	cache := t.TempDir()
	s := &Settings{CacheDir: cache, Endpoint: srv.URL, Progress: func(string, int64, int64) {}}

	dir, err := Resolve(context.Background(), "org/tiny@"+repo.commit, s)
	if err != nil {
		t.Fatal(err)
	}
	checkSameFiles(t, dir, "config.json", "model.safetensors", "vocab.json", "merges.txt")
	// A commit needs no ref; "main" was never asked for, so it has none.
	if _, err := os.Stat(filepath.Join(cache, "models--org--tiny", "refs", "main")); err == nil {
		t.Error("refs/main written for a commit-pinned download")
	}
	srv.Close()
	if again, err := Resolve(context.Background(), "org/tiny@"+repo.commit, &Settings{CacheDir: cache, Offline: true}); err != nil || again != dir {
		t.Errorf("pinned offline resolve = %q, %v; want %q", again, err, dir)
	}
}

func TestResolveCancelled(t *testing.T) {
	hub := newFakeHub(t)
	hub.addTinyRepo("org/tiny")
	hub.stallAfter["model.safetensors"] = 1024
	srv := hub.start()
	cache := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	s := &Settings{CacheDir: cache, Endpoint: srv.URL, Progress: func(file string, done, total int64) {
		if done > 0 && strings.HasSuffix(file, "model.safetensors") {
			cancel()
		}
	}}
	_, err := Resolve(ctx, "org/tiny", s)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if left := leftovers(t, cache); len(left) > 0 {
		t.Errorf("temporaries left behind: %v", left)
	}
}

// TestFailedDownloadLeavesNoLock: a hub that answers with errors, or not at all, leaves no
// .lock (or partial) file in the cache.
func TestFailedDownloadLeavesNoLock(t *testing.T) {
	hub := newFakeHub(t)
	hub.token = "secret" // every request is refused with 401
	srv := hub.start()
	down := newFakeHub(t).start()
	down.Close() // nothing listens there any more
	for name, endpoint := range map[string]string{"refused": srv.URL, "unreachable": down.URL} {
		cache := t.TempDir()
		_, err := Resolve(context.Background(), "org/tiny", &Settings{CacheDir: cache, Endpoint: endpoint, Progress: func(string, int64, int64) {}})
		if !errors.Is(err, ErrDownload) {
			t.Errorf("%s: err = %v, want ErrDownload", name, err)
		}
		if left := leftovers(t, cache); len(left) > 0 {
			t.Errorf("%s: files left behind in the cache: %v", name, left)
		}
	}
}
