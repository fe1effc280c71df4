package hub

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

// tinyDir holds the reference tiny GPT-2, used as file contents.
const tinyDir = "../../tests/testdata/models/tiny-a"

// fakeRepo is one repository served by fakeHub.
type fakeRepo struct {
	commit string
	files  map[string][]byte
	lfs    map[string]bool // served like git-lfs files: 302 to a CDN path
}

// fakeHub serves the endpoints go-huggingface and this package call:
//
//	GET       /api/models/{id}/revision/{rev}   listing (sha, siblings)
//	HEAD, GET /{id}/resolve/{commit}/{file}      contents; ETag = git blob SHA-1,
//	                                             or 302 + X-Linked-Etag (SHA-256) for LFS
//	GET       /cdn/{sha256}                      LFS contents
type fakeHub struct {
	t     testing.TB
	repos map[string]*fakeRepo
	token string // when set, requests without "Bearer <token>" get 401

	mu         sync.Mutex
	cutAfter   map[string]int  // file name -> bytes sent before the connection is closed
	fail       map[string]bool // file name -> 500 on GET
	stallAfter map[string]int  // file name -> bytes sent before hanging
	corrupt    map[string]bool // file name -> last byte flipped (size kept)
	requests   []string
	release    chan struct{} // closed at cleanup to free stalled handlers
}

func newFakeHub(t testing.TB) *fakeHub {
	return &fakeHub{t: t, repos: map[string]*fakeRepo{}, cutAfter: map[string]int{},
		fail: map[string]bool{}, stallAfter: map[string]int{}, corrupt: map[string]bool{}, release: make(chan struct{})}
}

// start serves h on loopback; the server stops at the end of the test.
func (h *fakeHub) start() *httptest.Server {
	srv := httptest.NewServer(h)
	h.t.Cleanup(func() { close(h.release); srv.Close() })
	return srv
}

// addTinyRepo serves the tiny-a files (those named, or all) as repository id.
func (h *fakeHub) addTinyRepo(id string, names ...string) *fakeRepo {
	if len(names) == 0 {
		names = []string{"config.json", "generation_config.json", "merges.txt", "model.safetensors",
			"special_tokens_map.json", "tokenizer.json", "tokenizer_config.json", "vocab.json"}
	}
	files := map[string][]byte{"README.md": []byte("# tiny\n")}
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(tinyDir, n))
		if err != nil {
			h.t.Fatalf("reading reference file: %v", err)
		}
		files[n] = data
	}
	return h.addRepo(id, files)
}

func (h *fakeHub) addRepo(id string, files map[string][]byte) *fakeRepo {
	sum := sha1.Sum([]byte(id))
	repo := &fakeRepo{commit: hex.EncodeToString(sum[:]), files: files,
		lfs: map[string]bool{"model.safetensors": true, "pytorch_model.bin": true}}
	h.repos[id] = repo
	return repo
}

func (h *fakeHub) log() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.requests...)
}

func (h *fakeHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	h.requests = append(h.requests, r.Method+" "+r.URL.Path)
	h.mu.Unlock()
	if h.token != "" && r.Header.Get("Authorization") != "Bearer "+h.token {
		w.Header().Set("X-Error-Message", "Access to model is restricted.")
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	path := r.URL.Path
	switch {
	case strings.HasPrefix(path, "/api/models/"):
		h.serveInfo(w, strings.TrimPrefix(path, "/api/models/"))
	case strings.HasPrefix(path, "/cdn/"):
		h.serveCDN(w, r, strings.TrimPrefix(path, "/cdn/"))
	case strings.Contains(path, "/resolve/"):
		h.serveResolve(w, r, strings.TrimPrefix(path, "/"))
	default:
		http.NotFound(w, r)
	}
}

func (h *fakeHub) serveInfo(w http.ResponseWriter, rest string) {
	id, rev, ok := strings.Cut(rest, "/revision/")
	repo := h.repos[id]
	if !ok || repo == nil || (rev != "main" && rev != repo.commit) {
		w.Header().Set("X-Error-Message", "Repository not found")
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	type sibling struct {
		Name string `json:"rfilename"`
	}
	listing := struct {
		ID       string    `json:"id"`
		SHA      string    `json:"sha"`
		Siblings []sibling `json:"siblings"`
	}{ID: id, SHA: repo.commit}
	var names []string
	for name := range repo.files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		listing.Siblings = append(listing.Siblings, sibling{name})
	}
	_ = json.NewEncoder(w).Encode(listing)
}

func (h *fakeHub) serveResolve(w http.ResponseWriter, r *http.Request, rest string) {
	id, after, _ := strings.Cut(rest, "/resolve/")
	commit, name, _ := strings.Cut(after, "/")
	repo := h.repos[id]
	if repo == nil || commit != repo.commit || repo.files[name] == nil {
		http.NotFound(w, r)
		return
	}
	data := repo.files[name]
	w.Header().Set("X-Repo-Commit", repo.commit)
	if repo.lfs[name] {
		sum := sha256.Sum256(data)
		w.Header().Set("X-Linked-Etag", `"`+hex.EncodeToString(sum[:])+`"`)
		w.Header().Set("X-Linked-Size", fmt.Sprint(len(data)))
		w.Header().Set("Location", "http://"+r.Host+"/cdn/"+hex.EncodeToString(sum[:]))
		w.WriteHeader(http.StatusFound)
		return
	}
	w.Header().Set("ETag", `"`+gitBlobSHA1(data)+`"`)
	h.serveBody(w, r, name, data)
}

func (h *fakeHub) serveCDN(w http.ResponseWriter, r *http.Request, sha string) {
	for _, repo := range h.repos {
		for name, data := range repo.files {
			if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) == sha {
				h.serveBody(w, r, name, data)
				return
			}
		}
	}
	http.NotFound(w, r)
}

// serveBody sends data, or misbehaves as configured for name.
func (h *fakeHub) serveBody(w http.ResponseWriter, r *http.Request, name string, data []byte) {
	h.mu.Lock()
	cut, cutting := h.cutAfter[name]
	stall, stalling := h.stallAfter[name]
	fail := h.fail[name]
	if h.corrupt[name] {
		data = append([]byte(nil), data...)
		data[len(data)-1] ^= 0xff
	}
	h.mu.Unlock()
	w.Header().Set("Content-Length", fmt.Sprint(len(data)))
	switch {
	case r.Method == http.MethodHead:
		return
	case fail:
		w.Header().Del("Content-Length")
		http.Error(w, "internal error", http.StatusInternalServerError)
	case cutting:
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(data[:cut])
		w.(http.Flusher).Flush()
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			_ = conn.Close()
		}
	case stalling:
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(data[:stall])
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-h.release:
		}
	default:
		_, _ = w.Write(data)
	}
}

// gitBlobSHA1 is git's object id of data, the hub's ETag for non-LFS files.
func gitBlobSHA1(data []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(data))
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil))
}
