package batch

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/ecco"
	"github.com/ecco-go/ecco/internal/jsonfile"
)

// TestHiddenStatesOnlyWhenAsked: a record holds hidden_states, equal to the library's, only with
// Hidden (-hidden); a version-1 manifest (whose runs always wrote them) resumes only with it.
func TestHiddenStatesOnlyWhenAsked(t *testing.T) {
	lm := tiny(t)
	in, recs := dataset(t, 2)
	for _, hidden := range []bool{false, true} {
		out := t.TempDir()
		cfg := config(in, out)
		cfg.Hidden = hidden
		if _, err := Run(lm, cfg); err != nil {
			t.Fatal(err)
		}
		line, _, _ := strings.Cut(string(readFile(t, filepath.Join(out, ResultsFile))), "\n")
		var got struct {
			Hidden [][][]float32 `json:"hidden_states"`
		}
		if err := json.Unmarshal([]byte(line), &got); err != nil {
			t.Fatal(err)
		}
		want := [][][]float32(nil)
		if hidden {
			o := generateRecord(t, lm, recs[0])
			want = o.Hidden
		}
		if !reflect.DeepEqual(got.Hidden, want) {
			t.Errorf("Hidden %v: the first record holds %d layers of hidden states, want %d equal to the library's", hidden, len(got.Hidden), len(want))
		}
	}

	out := t.TempDir()
	v1 := newManifest(config(in, out).Options)
	v1.Version, v1.Options.Hidden = 1, false // as a version-1 build wrote it: no such field, hidden states always
	if err := jsonfile.Write(filepath.Join(out, ManifestFile), v1); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(lm, config(in, out)); err == nil || !strings.Contains(err.Error(), "hidden_states: was true, now false") {
		t.Errorf("resuming a version-1 run without -hidden: %v, want the hidden_states option named", err)
	}
	cfg := config(in, out)
	cfg.Hidden = true
	if _, err := Run(lm, cfg); err != nil {
		t.Errorf("resuming a version-1 run with -hidden: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, ResultsFile)); err != nil {
		t.Error(err)
	}
}

// generateRecord runs a record of dataset as config asks, through the library.
func generateRecord(t *testing.T, lm *ecco.LM, r Record) *ecco.Output {
	t.Helper()
	methods := []ecco.Method{ecco.GradXInput, ecco.IntegratedGradients}
	var o *ecco.Output
	var err error
	if r.Target != nil {
		o, err = lm.Attribute(r.Prompt, *r.Target, methods...)
	} else {
		o, err = lm.Generate(r.Prompt, ecco.GenerateOptions{Tokens: 3, Attribution: methods})
	}
	if err != nil {
		t.Fatal(err)
	}
	return o
}
