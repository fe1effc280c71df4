package hub

import (
	"context"
	"fmt"
	"path/filepath"

	hfhub "github.com/gomlx/go-huggingface/hub"
)

// fetchShards downloads model.safetensors.index.json and every shard it
// names into the cache. Each shard is one file of fetchFile (checked size and
// hash, atomic rename), so an interrupted download keeps the shards already
// completed and the next run fetches only the others. The index is linked
// into the snapshot last: a snapshot that shows it holds all its shards.
func fetchShards(ctx context.Context, tr *transport, repo *hfhub.Repo, listed func(string) bool, repoDir, snapshot, id string) error {
	indexURL, err := repo.FileURL(shardIndexFile) // no network: the listing is loaded
	if err != nil {
		return fmt.Errorf("%s: %w", shardIndexFile, err)
	}
	remote, err := tr.stat(ctx, indexURL)
	if err != nil {
		return fmt.Errorf("%s: %w; hint: run again to retry", shardIndexFile, err)
	}
	if remote.size < 0 || remote.size > maxShardIndexBytes {
		return fmt.Errorf("%s: %w: the hub announces %s, expected a known size of at most %d bytes",
			shardIndexFile, ErrShardIndex, sizeText(remote.size), maxShardIndexBytes)
	}
	indexBlob, err := tr.ensureBlob(ctx, indexURL, repoDir, remote, id+"/"+shardIndexFile)
	if err != nil {
		return fmt.Errorf("%s: %w; hint: run again to retry", shardIndexFile, err)
	}
	shards, err := readShardIndex(indexBlob)
	if err != nil {
		return fmt.Errorf("%s: %w", shardIndexFile, err)
	}
	for _, shard := range shards {
		if !listed(shard) {
			return fmt.Errorf("%s: %w: it names shard %s, which the repository does not list; nothing was downloaded",
				shardIndexFile, ErrShardIndex, shard)
		}
	}
	inSnapshot := regularFileIn(snapshot)
	for _, shard := range shards {
		if inSnapshot(shard) {
			continue
		}
		shardURL, err := repo.FileURL(shard)
		if err == nil {
			err = tr.fetchFile(ctx, shardURL, repoDir, snapshot, shard, id+"/"+shard)
		}
		if err != nil {
			return fmt.Errorf("shard %s of %d: %w; hint: run again to resume: completed shards stay in %s",
				shard, len(shards), err, repoDir)
		}
	}
	return linkSnapshot(filepath.Join(snapshot, shardIndexFile), indexBlob)
}

// sizeText is n bytes, or "no size" when unknown (-1).
func sizeText(n int64) string {
	if n < 0 {
		return "no size"
	}
	return fmt.Sprintf("%d bytes", n)
}
