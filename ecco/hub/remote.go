package hub

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	hfhub "github.com/gomlx/go-huggingface/hub"
)

// fetchModel downloads what id at revision needs into the cache and returns
// the snapshot directory. Files already in the snapshot are not fetched.
func fetchModel(ctx context.Context, cfg *config, id, revision string) (string, error) {
	where := fmt.Sprintf("hub: %q (revision %s) from %s", id, revision, cfg.endpoint)
	repo := hfhub.New(id).WithEndpoint(cfg.endpoint).WithAuth(cfg.token).
		WithRevision(revision).WithCacheDir(cfg.cacheDir)
	repo.Verbosity = 0
	info, err := fetchRepoInfo(ctx, repo)
	if err != nil {
		what := "listing the repository"
		// go-huggingface v0.4.3 drops the hub's "Repository not found" body and keeps only
		// "bad status code 404"; a bare "404" would also match a port or a temporary path.
		if strings.Contains(err.Error(), "status code 404") {
			what = "Repository not found (the hub answered 404)"
		}
		return "", fmt.Errorf("hub: %q (revision %s): %w; hint: without network pass a model directory, or set HF_HUB_OFFLINE=1 to use the cache; "+
			"check the id; a private or gated model needs HF_TOKEN; HF_ENDPOINT chooses another hub. %s: %w",
			id, revision, ErrDownload, what, conciseCause(err, cfg.endpoint))
	}
	var names []string
	for _, sibling := range info.Siblings {
		if sibling != nil {
			names = append(names, sibling.Name)
		}
	}
	listed := nameSet(names)
	if err := checkFiles(listed); err != nil {
		return "", fmt.Errorf("%s, commit %s: %w", where, info.CommitHash, err)
	}

	repoDir := repoCacheDir(cfg.cacheDir, id)
	snapshot := filepath.Join(repoDir, "snapshots", info.CommitHash)
	inSnapshot := regularFileIn(snapshot)
	tr, err := newTransport(cfg)
	if err != nil {
		return "", fmt.Errorf("%s: %w", where, err)
	}
	for _, name := range wantedFiles(listed) {
		if inSnapshot(name) {
			continue
		}
		fileURL, err := repo.FileURL(name) // no network: the listing is loaded
		if err == nil {
			err = tr.fetchFile(ctx, fileURL, repoDir, snapshot, name, id+"/"+name)
		}
		if err != nil {
			return "", fmt.Errorf("%s: %s: %w; hint: run again to retry, completed files stay in %s; if it keeps failing, check HF_ENDPOINT", where, name, err, repoDir)
		}
	}
	if !listed(WeightsFile) && listed(shardIndexFile) {
		if err := fetchShards(ctx, tr, repo, listed, repoDir, snapshot, id); err != nil {
			return "", fmt.Errorf("%s: %w", where, err)
		}
	}
	if revision != info.CommitHash {
		if err := writeRef(repoDir, revision, info.CommitHash); err != nil {
			return "", fmt.Errorf("%s: %w", where, err)
		}
	}
	return snapshot, nil
}

// fetchRepoInfo loads the repository listing through go-huggingface, which
// records it under models--org--name/info/<revision>. Its calls take no
// context, so a cancelled ctx returns at once and leaves the call to finish
// in the background.
func fetchRepoInfo(ctx context.Context, repo *hfhub.Repo) (*hfhub.RepoInfo, error) {
	done := make(chan error, 1)
	go func() {
		// FileURL refreshes the listing once and remembers its commit hash,
		// so the later FileURL calls stay offline.
		_, err := repo.FileURL(ConfigFile)
		done <- err
	}()
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case err := <-done:
		if err != nil {
			return nil, err
		}
	}
	info := repo.Info()
	if info == nil || !isCommitHash(info.CommitHash) {
		var sha string
		if info != nil {
			sha = info.CommitHash
		}
		return nil, fmt.Errorf("the listing's commit hash %.50q is not 40 hex digits", sha)
	}
	return info, nil
}
