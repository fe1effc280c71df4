package hub

import (
	"context"
	"errors"
	"net"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnreachableHubError: without network the error leads with the hint and names the URL
// once, so the remedy is on the first screen line.
func TestUnreachableHubError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	endpoint := "http://" + ln.Addr().String()
	ln.Close() // nothing listens there now: connection refused
	t.Setenv("HF_ENDPOINT", endpoint)
	// "404" in the cache path: a CI run failed when the random temporary name held it and a bare
	// "404" in the error was taken for the hub's answer.
	t.Setenv("HF_HUB_CACHE", filepath.Join(t.TempDir(), "cache404"))
	t.Setenv("HF_HUB_OFFLINE", "")
	_, err = Resolve(context.Background(), "distilgpt2", &Settings{Progress: func(string, int64, int64) {}})
	if !errors.Is(err, ErrDownload) {
		t.Fatalf("err = %v, want ErrDownload", err)
	}
	msg := err.Error()
	t.Log(msg)
	hint, url := strings.Index(msg, "hint: without network"), strings.Index(msg, endpoint)
	if hint < 0 || url < 0 || hint > url {
		t.Errorf("want the hint before the URL: %s", msg)
	}
	if n := strings.Count(msg, endpoint); n != 1 {
		t.Errorf("the endpoint appears %d times, want once: %s", n, msg)
	}
	if !strings.Contains(msg, `"distilgpt2"`) || !strings.Contains(msg, "refused") {
		t.Errorf("want the id and the cause: %s", msg)
	}
	if len(msg) > 400 {
		t.Errorf("%d characters, want a short message: %s", len(msg), msg)
	}
}
