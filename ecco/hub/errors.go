package hub

import "errors"

// Sentinel errors, wrapped by the errors Resolve returns; test with errors.Is.
var (
	// ErrInvalidName: nameOrPath is neither an existing directory nor a
	// well-formed hub id, or a setting has an unusable value.
	ErrInvalidName = errors.New("invalid model name or setting")

	// ErrMissingFiles: a directory, cache snapshot or hub repository lacks a
	// required file (config.json, model.safetensors, tokenizer files).
	ErrMissingFiles = errors.New("required model files missing")

	// ErrSafetensorsRequired: the weights exist only in a pickle-based format
	// such as pytorch_model.bin, which is never loaded.
	ErrSafetensorsRequired = errors.New("model.safetensors is required")

	// ErrShardedUnsupported: the weights are split across several
	// safetensors files (model.safetensors.index.json).
	ErrShardedUnsupported = errors.New("sharded safetensors weights are not supported yet")

	// ErrNotInCache: offline mode and the model is not (completely) cached.
	ErrNotInCache = errors.New("model not in the local cache")

	// ErrDownload: talking to the hub failed (listing, metadata or contents).
	ErrDownload = errors.New("download failed")
)
