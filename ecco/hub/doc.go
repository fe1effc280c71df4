// Package hub resolves a model name to a local directory holding the model's
// files, offline first, sharing the HuggingFace cache with Python.
//
// # Resolution
//
// Resolve(ctx, nameOrPath, settings) tries, in order:
//
//  1. An existing directory (absolute, relative, or starting with "~/"): it is
//     used as is. A local directory wins over a hub id of the same name, as in
//     transformers. Text that looks like a path ("/x", "./x", "~/x", "a/b/c")
//     but does not exist is an error; it is never sent to the hub.
//  2. A hub id, "name" or "org/name", optionally followed by "@revision"
//     (a branch, tag or 40-hex commit; default "main"): the local cache is
//     searched first, and when every required file is there it is used with no
//     network access at all. A cached "main" is therefore never refreshed;
//     pass an explicit revision or delete refs/main to pick up a new commit.
//  3. Otherwise the files are downloaded into the cache and the snapshot
//     directory is returned, so the next call finds them offline.
//
// # Files
//
// A resolved directory holds config.json, model.safetensors and either
// tokenizer.json or both vocab.json and merges.txt. When the hub lists them,
// generation_config.json, tokenizer_config.json, special_tokens_map.json and
// the other tokenizer files are downloaded as well; readers must treat them as
// optional. Weights must be safetensors: a repository with only
// pytorch_model.bin is refused (ErrSafetensorsRequired; pickles are never
// read). Sharded weights (model.safetensors.index.json and the shards it
// names) stand in for model.safetensors, in a folder, a cache snapshot or a
// download. A downloaded index is bounded (16 MiB, a known size) and must map
// every tensor, once, to a plain "*.safetensors" file name the repository
// lists (ErrShardIndex otherwise, before any shard is fetched). Each shard is
// downloaded and checked like any other file; the index is linked into the
// snapshot after the last shard, and a snapshot whose index names a missing
// shard counts as not cached, so an interrupted download resumes with the
// shards it lacks (a shard cut midway starts again from its first byte).
//
// # Cache layout
//
// The cache directory is the first of: Settings.CacheDir, $HF_HUB_CACHE,
// $HF_HOME/hub, $XDG_CACHE_HOME/huggingface/hub, ~/.cache/huggingface/hub.
// A repository "org/name" lives in models--org--name/ with
//
//	refs/<revision>          the commit hash the revision pointed to
//	snapshots/<commit>/<f>   relative symlink to ../../blobs/<etag>
//	blobs/<etag>             file contents, named by the hub's ETag
//
// which is the layout of Python's huggingface_hub. Symlinks are required
// (no copy fallback), which holds on Linux and macOS.
//
// # Environment
//
// Zero fields of Settings, and a nil *Settings, take their value from the
// environment: HF_ENDPOINT (default https://huggingface.co), HF_TOKEN (sent
// as a Bearer token), HF_HUB_OFFLINE ("1", "true", "yes" or "on": never touch
// the network; also forced by Settings.Offline) and the cache variables above.
//
// # Downloads
//
// The repository listing (GET {endpoint}/api/models/{id}/revision/{rev}) and
// the file URL scheme ({endpoint}/{id}/resolve/{commit}/{file}) come from
// github.com/gomlx/go-huggingface/hub. File contents are fetched by this
// package instead, because that version's downloader reports success when the
// connection drops mid-body and then keeps the truncated file as the blob
// (see upstream_test.go). Here each file is written to a unique
// "<etag>.*.incomplete" temporary in blobs/, checked against the announced
// size and against its ETag (SHA-256 for LFS files, git blob SHA-1 for the
// others), synced, and only then renamed to blobs/<etag>; symlinks and refs
// are also created under a temporary name and renamed. A failed or
// interrupted download therefore never leaves a file under a final name.
// Concurrent processes need no lock: at worst both download the same blob and
// the second rename replaces identical contents. A transfer that delivers no
// byte for a minute is abandoned.
//
// # Progress
//
// Settings.Progress, when set, receives every file: first done=0, then
// increasing byte counts, and on success a last call with done == total
// (total is -1 while the size is unknown). Without it, files of 10 MiB or
// more are shown on stderr: a live line when stderr is a terminal, otherwise
// one line when the download starts and one when it ends (a notebook kernel's
// stderr is a pipe, and redrawn lines would pile up there). To silence it,
// set Progress to a function that does nothing.
//
// # Errors
//
// Errors name the id or path, say what was expected and give a hint. A failed
// download gives the hint before the cause, which names the request's URL once.
// They wrap one of the Err* values for errors.Is (a missing directory wraps
// fs.ErrNotExist instead, a cancelled ctx context.Canceled), and the
// underlying cause with %w when there is one.
package hub
