package hub

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/ecco/safetensors"
)

func TestResolveDownloadsShards(t *testing.T) {
	hub := newFakeHub(t)
	sharded := newShardedTiny(t, 3)
	repo := sharded.serve(hub, "org/sharded")
	srv := hub.start()
	cache := t.TempDir()
	var progress progressLog
	settings := &Settings{CacheDir: cache, Endpoint: srv.URL, Progress: progress.report}

	dir, err := Resolve(context.Background(), "org/sharded", settings)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(cache, "models--org--sharded", "snapshots", repo.commit); dir != want {
		t.Fatalf("dir = %s, want %s", dir, want)
	}
	for _, name := range append([]string{shardIndexFile, ConfigFile, TokenizerFile}, sharded.shards...) {
		if got := readFile(t, filepath.Join(dir, name)); !bytes.Equal(got, repo.files[name]) {
			t.Errorf("%s: %d bytes differ from the hub's %d", name, len(got), len(repo.files[name]))
		}
	}
	for _, shard := range sharded.shards {
		sum := sha256.Sum256(repo.files[shard])
		link, err := os.Readlink(filepath.Join(dir, shard))
		if want := "../../blobs/" + hex.EncodeToString(sum[:]); err != nil || link != want {
			t.Errorf("%s links to %q (%v), want %q", shard, link, err, want)
		}
		progress.check(t, "org/sharded/"+shard, int64(len(repo.files[shard])))
	}
	if left := leftovers(t, cache); len(left) > 0 {
		t.Errorf("temporaries left behind: %v", left)
	}
	checkSameTensors(t, dir)

	// The complete snapshot is found offline.
	offline := &Settings{CacheDir: cache, Offline: true}
	again, err := Resolve(context.Background(), "org/sharded", offline)
	if err != nil || again != dir {
		t.Errorf("offline Resolve = %q, %v; want %q", again, err, dir)
	}

	// A snapshot that lost a shard is incomplete; online, only that shard is fetched.
	lost := sharded.shards[2]
	if err := os.Remove(filepath.Join(repoBlob(cache, "org/sharded", repo.files[lost]))); err != nil {
		t.Fatal(err)
	}
	_, err = Resolve(context.Background(), "org/sharded", offline)
	if !errors.Is(err, ErrNotInCache) {
		t.Fatalf("offline Resolve without %s = %v, want ErrNotInCache", lost, err)
	}
	wantErr(t, err, lost, "missing")
	before := len(hub.log())
	if _, err := Resolve(context.Background(), "org/sharded", settings); err != nil {
		t.Fatal(err)
	}
	for _, r := range hub.log()[before:] {
		if strings.HasPrefix(r, "GET /cdn/") && r != "GET /cdn/"+sha256Hex(repo.files[lost]) {
			t.Errorf("refetched %s although only %s was lost", r, lost)
		}
	}
	checkSameTensors(t, dir)
}

// repoBlob is the cache path of an LFS file's blob.
func repoBlob(cache, id string, data []byte) string {
	return filepath.Join(repoCacheDir(cache, id), "blobs", sha256Hex(data))
}

// A folder holding sharded weights resolves as it is.
func TestResolveShardedFolder(t *testing.T) {
	dir := t.TempDir()
	for name, data := range newShardedTiny(t, 3).files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := Resolve(context.Background(), dir, nil)
	if err != nil || got != dir {
		t.Fatalf("Resolve(%s) = %q, %v", dir, got, err)
	}
	checkSameTensors(t, dir)
}

// checkSameTensors compares every tensor of dir's weights with tiny-a's.
func checkSameTensors(t *testing.T, dir string) {
	t.Helper()
	got, err := safetensors.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	want, err := safetensors.OpenDir(tinyDir)
	if err != nil {
		t.Fatal(err)
	}
	defer want.Close()
	if g, w := got.Names(), want.Names(); !slices.Equal(g, w) {
		t.Fatalf("tensors %v, want %v", g, w)
	}
	for _, name := range want.Names() {
		g, gShape, err1 := got.Float32(name)
		w, wShape, err2 := want.Float32(name)
		if err := errors.Join(err1, err2); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(gShape, wShape) || !slices.Equal(g, w) {
			t.Errorf("tensor %s differs from tiny-a's (shape %v vs %v)", name, gShape, wShape)
		}
	}
}

func TestResolveResumesAfterCutShard(t *testing.T) {
	hub := newFakeHub(t)
	sharded := newShardedTiny(t, 3)
	repo := sharded.serve(hub, "org/sharded")
	first, cut, last := sharded.shards[0], sharded.shards[1], sharded.shards[2]
	half := len(repo.files[cut]) / 2
	hub.cutAfter[cut] = half
	srv := hub.start()
	cache := t.TempDir()
	settings := &Settings{CacheDir: cache, Endpoint: srv.URL, Progress: func(string, int64, int64) {}}

	_, err := Resolve(context.Background(), "org/sharded", settings)
	if !errors.Is(err, ErrDownload) {
		t.Fatalf("err = %v, want ErrDownload", err)
	}
	wantErr(t, err, `"org/sharded"`, cut, "resume")
	if left := leftovers(t, cache); len(left) > 0 {
		t.Errorf("temporaries left behind: %v", left)
	}
	// Every blob in the cache is complete: named by its hash (LFS) or
	// holding a file of the repository.
	repoDir := filepath.Join(cache, "models--org--sharded")
	blobs, err := os.ReadDir(filepath.Join(repoDir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range blobs {
		data := readFile(t, filepath.Join(repoDir, "blobs", b.Name()))
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) != b.Name() && gitBlobSHA1(data) != b.Name() {
			t.Errorf("blob %s (%d bytes) matches neither hash its name could be", b.Name(), len(data))
		}
	}
	snapshot := filepath.Join(repoDir, "snapshots", repo.commit)
	present := regularFileIn(snapshot)
	if !present(first) || present(cut) || present(last) || present(shardIndexFile) {
		t.Errorf("after the cut: %s %v, %s %v, %s %v, index %v; want only the first shard",
			first, present(first), cut, present(cut), last, present(last), present(shardIndexFile))
	}
	if _, err := Resolve(context.Background(), "org/sharded", &Settings{CacheDir: cache, Offline: true}); !errors.Is(err, ErrNotInCache) {
		t.Errorf("offline Resolve of the incomplete snapshot = %v, want ErrNotInCache", err)
	}

	// The connection holds now: the rerun fetches only what is missing.
	delete(hub.cutAfter, cut)
	before := len(hub.log())
	dir, err := Resolve(context.Background(), "org/sharded", settings)
	if err != nil {
		t.Fatal(err)
	}
	var fetched []string
	for _, r := range hub.log()[before:] {
		if strings.HasPrefix(r, "GET /cdn/") {
			fetched = append(fetched, r)
		}
	}
	if want := []string{"GET /cdn/" + sha256Hex(repo.files[cut]), "GET /cdn/" + sha256Hex(repo.files[last])}; !slices.Equal(fetched, want) {
		t.Errorf("the rerun downloaded %v, want only the cut and the last shard %v", fetched, want)
	}
	checkSameTensors(t, dir)
}

func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func TestResolveRefusesBadShardIndex(t *testing.T) {
	const shard = "model-00001-of-00001.safetensors"
	cases := []struct {
		name, index string
		fragments   []string
	}{
		{"path traversal", `{"weight_map": {"wte": "../../../etc/model.safetensors"}}`, []string{`"../../../etc/model.safetensors"`, "plain file name"}},
		{"absolute path", `{"weight_map": {"wte": "/tmp/model.safetensors"}}`, []string{`"/tmp/model.safetensors"`, "plain file name"}},
		{"not weights", `{"weight_map": {"wte": "config.json"}}`, []string{`"config.json"`, ".safetensors"}},
		{"tensor twice", `{"weight_map": {"wte": "` + shard + `", "wte": "` + shard + `"}}`, []string{`"wte"`, "twice"}},
		{"two maps", `{"weight_map": {"wte": "` + shard + `"}, "weight_map": {}}`, []string{"appears twice"}},
		{"not a string", `{"weight_map": {"wte": 7}}`, []string{`"wte"`, "shard file name"}},
		{"empty", `{"weight_map": {}}`, []string{"no \"weight_map\" entries"}},
		{"not an object", `["model-00001-of-00001.safetensors"]`, []string{"the index is \"[\"", "expected a JSON object"}},
		{"malformed", `{"weight_map": {"wte": "` + shard + `"`, []string{"malformed"}},
		{"trailing data", `{"weight_map": {"wte": "` + shard + `"}} {}`, []string{"after the JSON object"}},
		{"missing upstream", `{"weight_map": {"wte": "` + shard + `", "wpe": "model-00002-of-00002.safetensors"}}`,
			[]string{"model-00002-of-00002.safetensors", "does not list"}},
		{"oversized", `{"weight_map": {"wte": "` + shard + `"}, "metadata": "` + strings.Repeat("x", maxShardIndexBytes) + `"}`,
			[]string{"at most 16777216 bytes"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			hub := newFakeHub(t)
			files := map[string][]byte{shardIndexFile: []byte(c.index), shard: readFile(t, filepath.Join(tinyDir, WeightsFile))}
			for _, name := range []string{ConfigFile, TokenizerFile} {
				files[name] = readFile(t, filepath.Join(tinyDir, name))
			}
			hub.addRepo("org/bad", files)
			cache := t.TempDir()
			settings := &Settings{CacheDir: cache, Endpoint: hub.start().URL, Progress: func(string, int64, int64) {}}

			_, err := Resolve(context.Background(), "org/bad", settings)
			if !errors.Is(err, ErrShardIndex) {
				t.Fatalf("err = %v, want ErrShardIndex", err)
			}
			wantErr(t, err, append(c.fragments, `"org/bad"`, shardIndexFile)...)
			for _, r := range hub.log() {
				if strings.HasPrefix(r, "GET") && strings.HasSuffix(r, shardSuffix) {
					t.Errorf("a shard was downloaded despite the bad index: %s", r)
				}
			}
			if present := regularFileIn(filepath.Join(cache, "models--org--bad", "snapshots", hub.repos["org/bad"].commit)); present(shardIndexFile) {
				t.Error("the refused index was linked into the snapshot")
			}
			if left := leftovers(t, cache); len(left) > 0 {
				t.Errorf("temporaries left behind: %v", left)
			}
		})
	}
}
