package hub

import (
	"errors"
	"path/filepath"
	"testing"
)

func TestParseHubID(t *testing.T) {
	cases := []struct {
		in, settingsRevision string
		id, revision         string
	}{
		{"gpt2", "", "gpt2", "main"},
		{"distilgpt2", "", "distilgpt2", "main"},
		{"openai-community/gpt2", "", "openai-community/gpt2", "main"},
		{"org/name.v1_2", "", "org/name.v1_2", "main"},
		{"gpt2@v1.0", "", "gpt2", "v1.0"},
		{"gpt2", "dev", "gpt2", "dev"},
		{"gpt2@dev", "dev", "gpt2", "dev"},
	}
	for _, c := range cases {
		id, rev, err := parseHubID(c.in, c.settingsRevision)
		if err != nil || id != c.id || rev != c.revision {
			t.Errorf("parseHubID(%q, %q) = %q, %q, %v; want %q, %q", c.in, c.settingsRevision, id, rev, err, c.id, c.revision)
		}
	}
	for _, bad := range [][2]string{
		{"a/b/c", ""}, {"org/", ""}, {"/name", ""}, {"a--b", ""}, {"a..b", ""}, {"-a", ""},
		{"gpt2@", "x"}, {"gpt2@a/b", ""}, {"gpt2@../x", ""}, {"gpt2@dev", "main"}, {"gpt 2", ""},
	} {
		if id, rev, err := parseHubID(bad[0], bad[1]); !errors.Is(err, ErrInvalidName) {
			t.Errorf("parseHubID(%q, %q) = %q, %q, %v; want ErrInvalidName", bad[0], bad[1], id, rev, err)
		}
	}
}

func TestRepoCacheDir(t *testing.T) {
	for id, want := range map[string]string{
		"gpt2":                  "models--gpt2",
		"openai-community/gpt2": "models--openai-community--gpt2",
	} {
		if got := repoCacheDir("/c", id); got != filepath.Join("/c", want) {
			t.Errorf("repoCacheDir(%q) = %s, want /c/%s", id, got, want)
		}
	}
}
