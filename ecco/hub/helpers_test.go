package hub

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// progressLog records Settings.Progress calls.
type progressLog struct {
	mu    sync.Mutex
	calls map[string][][2]int64
}

func (p *progressLog) report(file string, done, total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.calls == nil {
		p.calls = map[string][][2]int64{}
	}
	p.calls[file] = append(p.calls[file], [2]int64{done, total})
}

// check fails unless file's progress started at 0, never went back and
// ended at done == total == size.
func (p *progressLog) check(t *testing.T, file string, size int64) {
	t.Helper()
	calls := p.calls[file]
	if len(calls) < 2 || calls[0] != [2]int64{0, size} || calls[len(calls)-1] != [2]int64{size, size} {
		t.Errorf("%s: progress calls %v, want first {0 %d} and last {%d %d}", file, head2(calls), size, size, size)
	}
	for i := 1; i < len(calls); i++ {
		if calls[i][0] < calls[i-1][0] {
			t.Errorf("%s: progress went back from %d to %d", file, calls[i-1][0], calls[i][0])
		}
	}
}

func head2(calls [][2]int64) [][2]int64 {
	if len(calls) > 4 {
		return append(calls[:2:2], calls[len(calls)-2:]...)
	}
	return calls
}

// checkSameFiles compares every file of tinyDir named in names with dir's.
func checkSameFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	for _, name := range names {
		want, err := os.ReadFile(filepath.Join(tinyDir, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: %d bytes differ from the reference's %d (first bytes %q vs %q)",
				name, len(got), len(want), head(got), head(want))
		}
	}
}

func head(b []byte) []byte {
	if len(b) > 16 {
		return b[:16]
	}
	return b
}

// leftovers lists files under dir that a finished or failed download must
// not leave: temporaries, partial blobs and download locks.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	var found []string
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && (strings.HasSuffix(path, ".incomplete") || strings.HasSuffix(path, ".tmp") ||
			strings.HasSuffix(path, ".downloading") || strings.HasSuffix(path, ".lock")) {
			found = append(found, path)
		}
		return nil
	})
	return found
}

// wantErr fails unless err's message holds every fragment.
func wantErr(t *testing.T, err error, fragments ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want one mentioning %q", fragments)
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not mention %q", err, f)
		}
	}
}
