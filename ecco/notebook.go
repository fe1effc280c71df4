package ecco

import (
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"

	"github.com/ecco-go/ecco/ecco/atomicfile"
)

// GoNB runs every notebook cell as a new program, so a value computed in one cell is gone in the
// next. The notebook idiom (see the package doc) declares the model and the results as package
// variables, which GoNB re-runs in every later cell; the result store makes those re-runs cheap
// and identical: Generate and Attribute keep each Output in GoNB's temporary folder, keyed by
// the model, the prompt and the options, and hand it back to a later call with the same key,
// attached to the LM that asked. Results computed later on it (an attribution, the logit lens,
// attention) are written back, so the next cell finds them too.

// notebookCacheDir is where FromPretrained keeps results inside a GoNB kernel: GONB_TMP_DIR is
// the kernel session's temporary folder, removed when the kernel stops.
func notebookCacheDir() string {
	dir := os.Getenv("GONB_TMP_DIR")
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, "ecco-results")
}

// resultStore keeps Outputs as gob files in dir. It is best effort: a file that cannot be read
// or written costs a recomputation, never an error.
type resultStore struct{ dir string }

// storeEntry is where one Output is kept.
type storeEntry struct {
	store *resultStore
	key   string
}

func (e *storeEntry) path() string { return filepath.Join(e.store.dir, e.key+".gob") }

// storeKey names a result of this LM: what made it (kind and its arguments), the model's folder,
// name, captured layers and edits, and the Output format.
func (lm *LM) storeKey(kind string, args ...any) string {
	data, err := json.Marshal([]any{OutputVersion, kind, lm.Dir, lm.Name, lm.activationLayers(), lm.edits, args})
	if err != nil {
		panic(err) // the arguments are strings and option structs without func fields in their JSON
	}
	sum := sha256.Sum256(data)
	return kind + "-" + hex.EncodeToString(sum[:12])
}

// cached returns the Output kept under key, attached to lm, or computes it and keeps it.
func (lm *LM) cached(key string, compute func() (*Output, error)) (*Output, error) {
	if lm.store == nil {
		return compute()
	}
	entry := &storeEntry{store: lm.store, key: key}
	if o := entry.load(); o != nil {
		o.lm, o.store = lm, entry
		return o, nil
	}
	o, err := compute()
	if err != nil {
		return nil, err
	}
	o.store = entry
	o.persist()
	return o, nil
}

// load reads the kept Output, or returns nil.
func (e *storeEntry) load() *Output {
	f, err := os.Open(e.path())
	if err != nil {
		return nil
	}
	defer f.Close()
	var o Output
	if err := gob.NewDecoder(io.LimitReader(f, maxOutputBytes)).Decode(&o); err != nil || o.validate() != nil {
		return nil
	}
	return &o
}

// persist writes the Output to its store entry, if it has one.
func (o *Output) persist() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.store == nil {
		return
	}
	if err := os.MkdirAll(o.store.store.dir, 0o755); err != nil {
		return
	}
	_ = atomicfile.Write(o.store.path(), func(w io.Writer) error { return gob.NewEncoder(w).Encode(o) })
}
