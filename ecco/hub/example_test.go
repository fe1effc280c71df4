package hub_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ecco-go/ecco/ecco/hub"
)

// A local directory is used as is; no network, no cache.
func ExampleResolve_directory() {
	dir, err := hub.Resolve(context.Background(), "../../tests/testdata/models/tiny-a", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(filepath.Base(dir))
	// Output: tiny-a
}

// Offline mode with a cache that lacks the model: the error says where it
// looked and what to do.
func ExampleResolve_offline() {
	cache, _ := os.MkdirTemp("", "hub-example")
	defer os.RemoveAll(cache)
	settings := &hub.Settings{CacheDir: cache, Offline: true}
	_, err := hub.Resolve(context.Background(), "distilgpt2", settings)
	fmt.Println(errors.Is(err, hub.ErrNotInCache))
	// Output: true
}
