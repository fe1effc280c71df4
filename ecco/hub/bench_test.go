package hub

import (
	"context"
	"testing"
)

// BenchmarkResolveCached measures the offline path taken by every call once
// a model is cached: refs lookup plus file checks.
func BenchmarkResolveCached(b *testing.B) {
	hub := newFakeHub(b)
	hub.addTinyRepo("org/tiny")
	srv := hub.start()
	s := &Settings{CacheDir: b.TempDir(), Endpoint: srv.URL, Progress: func(string, int64, int64) {}}
	if _, err := Resolve(context.Background(), "org/tiny", s); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Resolve(context.Background(), "org/tiny", s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDownload measures a full download of the tiny-a files (16 MiB,
// hashed and synced) from a loopback hub into an empty cache.
func BenchmarkDownload(b *testing.B) {
	hub := newFakeHub(b)
	repo := hub.addTinyRepo("org/tiny")
	srv := hub.start()
	var total int64
	for _, data := range repo.files {
		total += int64(len(data))
	}
	b.SetBytes(total)
	for b.Loop() {
		s := &Settings{CacheDir: b.TempDir(), Endpoint: srv.URL, Progress: func(string, int64, int64) {}}
		if _, err := Resolve(context.Background(), "org/tiny", s); err != nil {
			b.Fatal(err)
		}
	}
}
