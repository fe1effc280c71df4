package batch

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBatchBadRecordsGoToTheErrorsFile(t *testing.T) {
	lm := tiny(t)
	lines := []string{
		`{"id": "ok-1", "prompt": "Hello, my dog is cute"}`,
		`{"id": "broken", "prompt": `,                                                 // 2: malformed
		`{"prompt": "no id here"}`,                                                    // 3: missing id
		`{"id": "no-prompt"}`,                                                         // 4: missing prompt
		`{"id": "long", "prompt": "` + strings.Repeat("a", MaxLineBytes) + `"}`,       // 5: over the line bound
		`{"id": "too-many-tokens", "prompt": "` + strings.Repeat(" dog", 2000) + `"}`, // 6: over the model's context
		``,                                  // 7: blank, skipped
		`{"id": "ok-1", "prompt": "again"}`, // 8: doubled id
		`{"id": "ok-2", "prompt": "The capital of France is", "target": " Paris"}`,
		`{"id": 7, "prompt": "a number as id"}`, // 10: id not a string
	}
	in := filepath.Join(t.TempDir(), "in.jsonl")
	if err := os.WriteFile(in, []byte(strings.Join(lines, "\n")), 0o644); err != nil { // no final newline
		t.Fatal(err)
	}
	out := t.TempDir()
	sum, err := Run(lm, config(in, out))
	if !errors.Is(err, ErrRecordsFailed) || sum.Done != 2 || sum.Failed != 7 {
		t.Fatalf("Run: %+v, %v; want 2 done, 7 failed and ErrRecordsFailed", sum, err)
	}
	want := []struct {
		line int
		id   string
		msg  string
	}{
		{2, "", "not a JSON object"},
		{3, "", `missing "id"`},
		{4, "no-prompt", `missing "prompt"`},
		{5, "", "longer than 1048576 bytes"},
		{8, "ok-1", "id already used on line 1"},
		{10, "", "not a JSON object"},
		{6, "too-many-tokens", "exceed the model's context"},
	}
	data := readFile(t, filepath.Join(out, ErrorsFile))
	got := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(got) != len(want) {
		t.Fatalf("errors.jsonl has %d lines, want %d:\n%s", len(got), len(want), data)
	}
	for i, w := range want {
		var e RecordError
		if err := json.Unmarshal([]byte(got[i]), &e); err != nil {
			t.Fatal(err)
		}
		if e.Line != w.line || e.ID != w.id || !strings.Contains(e.Error, w.msg) {
			t.Errorf("error %d: %+v, want line %d, id %q, %q", i, e, w.line, w.id, w.msg)
		}
	}
	if ids := resultIDs(t, out); len(ids) != 2 || ids[0] != "ok-1" || ids[1] != "ok-2" {
		t.Errorf("results %v, want ok-1, ok-2", ids)
	}
	// A rerun retries only the failed records and lists them afresh.
	sum, err = Run(lm, config(in, out))
	if !errors.Is(err, ErrRecordsFailed) || sum.Skipped != 2 || sum.Failed != 7 {
		t.Errorf("rerun: %+v, %v", sum, err)
	}
	if again := readFile(t, filepath.Join(out, ErrorsFile)); string(again) != string(data) {
		t.Errorf("rerun's errors.jsonl:\n%s\nwant\n%s", again, data)
	}
	strict := config(in, t.TempDir())
	strict.Strict = true
	if sum, err := Run(lm, strict); err == nil || !strings.Contains(err.Error(), "line 2") || sum.Done != 0 {
		t.Errorf("-strict: %+v, %v; want a stop at line 2", sum, err)
	}
}

func TestScanLinesBoundsEachLine(t *testing.T) {
	type seen struct {
		line    int
		text    string
		tooLong bool
	}
	var got []seen
	input := "short\n" + strings.Repeat("x", 40) + "\nend"
	err := scanLines(strings.NewReader(input), 16, func(line int, text []byte, tooLong bool) error {
		got = append(got, seen{line, string(text), tooLong})
		return nil
	})
	want := []seen{{1, "short", false}, {2, "", true}, {3, "end", false}}
	if err != nil || len(got) != len(want) {
		t.Fatalf("scanLines: %v, %v", got, err)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d: %+v, want %+v", i+1, got[i], want[i])
		}
	}
}

func TestParseShard(t *testing.T) {
	if s, err := ParseShard("2/4"); err != nil || s != (Shard{2, 4}) || s.String() != "2/4" {
		t.Errorf("ParseShard(2/4): %v, %v", s, err)
	}
	for _, bad := range []string{"4/4", "-1/4", "1/0", "1", "a/b"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
}
