package hub

import (
	"os"
	"testing"

	hfhub "github.com/gomlx/go-huggingface/hub"
)

// TestUpstreamRefusesTruncatedDownloads records the state of a defect that made this package
// fetch file contents itself: go-huggingface v0.3.1's downloader returned success when the
// connection dropped mid-body and cached the truncated file. v0.4.3 no longer caches it (this
// test checks that no truncated file is reported as a success); blob.go keeps its own transfer,
// which also checks the size and hash, until delegating is worth a change of its own.
func TestUpstreamRefusesTruncatedDownloads(t *testing.T) {
	hub := newFakeHub(t)
	repo := hub.addTinyRepo("org/tiny", "config.json")
	hub.cutAfter["config.json"] = 100
	srv := hub.start()

	upstream := hfhub.New("org/tiny").WithEndpoint(srv.URL).WithCacheDir(t.TempDir())
	upstream.Verbosity = 0
	path, err := upstream.DownloadFile("config.json")
	if err != nil {
		t.Logf("go-huggingface reports the truncated download: %v", err)
		return
	}
	info, statErr := os.Stat(path)
	if statErr != nil {
		t.Logf("go-huggingface returned %s but left no file: %v", path, statErr)
		return
	}
	if full := int64(len(repo.files["config.json"])); info.Size() != full {
		t.Errorf("go-huggingface returned success with %d of %d bytes cached at %s: the v0.3.1 defect is back", info.Size(), full, path)
	}
}
