package batch

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/ecco-go/ecco/ecco"
	"github.com/ecco-go/ecco/internal/jsonfile"
)

// ManifestSchema names DIR/manifest.json's format.
const ManifestSchema = "ecco-go/batch-manifest"

// File names inside a run's output folder.
const (
	ManifestFile = "manifest.json"
	ResultsFile  = "results.jsonl"
	ErrorsFile   = "errors.jsonl"
)

// maxManifestBytes bounds the read of a manifest.
const maxManifestBytes = 1 << 20

// Options are what a run computes; a resumed run must ask for the same.
type Options struct {
	Model       string   `json:"model"`       // -model as given
	Input       string   `json:"input"`       // -in as given
	Tokens      int      `json:"tokens"`      // -n: tokens generated for records without a target
	Attribution []string `json:"attribution"` // canonical method names
	Activations bool     `json:"activations"`
	Hidden      bool     `json:"hidden_states"` // -hidden: keep each record's hidden states
	Shard       Shard    `json:"shard"`         // zero: every record
}

// Manifest is DIR/manifest.json: the run's options and the build that ran it.
type Manifest struct {
	Schema  string   `json:"schema"`
	Version int      `json:"version"`
	Options Options  `json:"options"`
	Env     ecco.Env `json:"env"`
}

func newManifest(opts Options) Manifest {
	return Manifest{Schema: ManifestSchema, Version: 2, Options: opts, Env: ecco.ReadEnv()}
}

// ReadManifest reads DIR/manifest.json; os.ErrNotExist when there is none.
func ReadManifest(dir string) (Manifest, error) {
	path := filepath.Join(dir, ManifestFile)
	f, err := os.Open(path)
	if err != nil {
		return Manifest{}, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxManifestBytes+1))
	if err != nil {
		return Manifest{}, fmt.Errorf("reading %s: %w", path, err)
	}
	var m Manifest
	if len(data) > maxManifestBytes {
		return Manifest{}, fmt.Errorf("%s: larger than %d bytes, not a batch manifest", path, maxManifestBytes)
	}
	if err := json.Unmarshal(data, &m); err != nil || m.Schema != ManifestSchema {
		return Manifest{}, fmt.Errorf("%s is not a batch manifest (schema %q): %v", path, ManifestSchema, err)
	}
	if m.Version == 1 {
		m.Options.Hidden = true // version 1 runs wrote every record's hidden states
	}
	return m, nil
}

// prepareDir creates dir and its manifest, or checks that the manifest already there asks for
// the same options (a resume).
func prepareDir(dir string, opts Options) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating the output folder: %w", err)
	}
	old, err := ReadManifest(dir)
	if errors.Is(err, os.ErrNotExist) {
		return jsonfile.Write(filepath.Join(dir, ManifestFile), newManifest(opts))
	}
	if err != nil {
		return err
	}
	if diff := optionsDiff(old.Options, opts); diff != "" {
		return fmt.Errorf("%s holds a run with other options (%s): rerun with the same options to resume, or pick another -out",
			filepath.Join(dir, ManifestFile), diff)
	}
	return nil
}

// optionsDiff names each option that differs, "field: was X, now Y"; "" when they agree.
func optionsDiff(was, now Options) string {
	var diffs []string
	a, b := reflect.ValueOf(was), reflect.ValueOf(now)
	for i := range a.NumField() {
		if !reflect.DeepEqual(a.Field(i).Interface(), b.Field(i).Interface()) {
			name, _, _ := strings.Cut(a.Type().Field(i).Tag.Get("json"), ",")
			diffs = append(diffs, fmt.Sprintf("%s: was %s, now %s", name, show(a.Field(i)), show(b.Field(i))))
		}
	}
	return strings.Join(diffs, "; ")
}

// show is an option's value for a message: "none" for an empty list or the whole dataset.
func show(v reflect.Value) string {
	if s, ok := v.Interface().(Shard); (ok && s.Count == 0) || (v.Kind() == reflect.Slice && v.Len() == 0) {
		return "none"
	}
	return fmt.Sprint(v.Interface())
}
