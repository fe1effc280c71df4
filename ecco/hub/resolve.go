package hub

import (
	"context"
	"fmt"
)

// Resolve returns a local directory holding the model nameOrPath: the
// directory itself when nameOrPath is one, otherwise the hub cache snapshot
// of the hub id, downloading it first unless it is cached (see the package
// documentation). s may be nil.
func Resolve(ctx context.Context, nameOrPath string, s *Settings) (dir string, err error) {
	if nameOrPath == "" {
		return "", fmt.Errorf("hub: empty model name: %w; hint: pass a directory or a hub id such as \"gpt2\"", ErrInvalidName)
	}
	if dir, found, err := asDirectory(nameOrPath); found {
		return dir, err
	}
	cfg, err := s.resolve()
	if err != nil {
		return "", err
	}
	id, revision, err := parseHubID(nameOrPath, cfg.revision)
	if err != nil {
		return "", err
	}
	snapshot, cacheErr := findInCache(cfg.cacheDir, id, revision)
	if cacheErr == nil {
		return snapshot, nil
	}
	if cfg.offline {
		return "", fmt.Errorf("hub: %q (revision %s): %w: looked in %s: %w; hint: offline mode is on (HF_HUB_OFFLINE or Settings.Offline); "+
			"download the model once with network access, or pass a directory", id, revision, ErrNotInCache, cfg.cacheDir, cacheErr)
	}
	return fetchModel(ctx, cfg, id, revision)
}
