package hub

import (
	"encoding/hex"
	"strings"
	"testing"
)

// Known values: `git hash-object` of "" and "hello\n", and FIPS 180-2's
// SHA-256 of "abc".
func TestContentHasherKnownVectors(t *testing.T) {
	cases := []struct{ etag, content string }{
		{"e69de29bb2d1d6434b8b29ae775ad8c2e48c5391", ""},
		{"ce013625030ba8dba906f756967f9e9ca394464a", "hello\n"},
		{"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "abc"},
		{"BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", "abc"},
	}
	for _, c := range cases {
		h, want := contentHasher(c.etag, int64(len(c.content)))
		if h == nil {
			t.Errorf("no hasher for ETag %s", c.etag)
			continue
		}
		h.Write([]byte(c.content))
		if got := hex.EncodeToString(h.Sum(nil)); got != want || want != strings.ToLower(c.etag) {
			t.Errorf("hash of %q = %s, want %s", c.content, got, strings.ToLower(c.etag))
		}
	}
	// Not a hash, or a git id without a known size: nothing to check.
	for _, c := range []struct {
		etag string
		size int64
	}{{"abc-123", 3}, {"e69de29bb2d1d6434b8b29ae775ad8c2e48c5391", -1}} {
		if h, _ := contentHasher(c.etag, c.size); h != nil {
			t.Errorf("contentHasher(%q, %d) should not verify", c.etag, c.size)
		}
	}
}

func TestNewRemoteFileNormalizesETag(t *testing.T) {
	for in, want := range map[string]string{
		`"abc123"`:   "abc123",
		`W/"abc123"`: "abc123",
		` abc123 `:   "abc123",
	} {
		f, err := newRemoteFile("u", in, 7)
		if err != nil || f.etag != want || f.size != 7 {
			t.Errorf("newRemoteFile(%q) = %+v, %v; want etag %q", in, f, err, want)
		}
	}
	for _, bad := range []string{"", `"../../etc/passwd"`, `"a/b"`, strings.Repeat("a", 200)} {
		if f, err := newRemoteFile("u", bad, 1); err == nil {
			t.Errorf("newRemoteFile(%q) accepted %+v", bad, f)
		}
	}
}
