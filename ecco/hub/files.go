package hub

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// File names a resolved directory may hold.
const (
	ConfigFile    = "config.json"
	WeightsFile   = "model.safetensors"
	TokenizerFile = "tokenizer.json"
	VocabFile     = "vocab.json"
	MergesFile    = "merges.txt"
	VocabTxtFile  = "vocab.txt" // BERT's WordPiece vocabulary, read with tokenizer_config.json
)

// optionalFiles are fetched when the repository has them, never required.
var optionalFiles = []string{
	"generation_config.json", "tokenizer_config.json", "special_tokens_map.json",
}

// Weight files that mean "this model exists, but not in a usable form".
const (
	shardIndexFile = "model.safetensors.index.json"
	pickleFile     = "pytorch_model.bin"
)

// checkFiles reports, from has(name), whether a listing or folder holds
// everything Resolve promises; the error wraps ErrSafetensorsRequired or
// ErrMissingFiles and names what is missing. Sharded weights
// (model.safetensors.index.json) stand in for model.safetensors; whether the
// shards it names are there is checked by checkShards.
func checkFiles(has func(name string) bool) error {
	if !has(WeightsFile) && !has(shardIndexFile) && has(pickleFile) {
		return fmt.Errorf("%w: only %s is present, a Python pickle that is never loaded; "+
			"hint: use a repository that ships %s, or convert the weights to safetensors first",
			ErrSafetensorsRequired, pickleFile, WeightsFile)
	}
	if listed := has; listed(shardIndexFile) {
		has = func(name string) bool { return name == WeightsFile || listed(name) }
	}
	var missing []string
	for _, name := range []string{ConfigFile, WeightsFile} {
		if !has(name) {
			missing = append(missing, name)
		}
	}
	if !has(TokenizerFile) && !(has(VocabFile) && has(MergesFile)) && !has(VocabTxtFile) {
		missing = append(missing, TokenizerFile+" (or "+VocabFile+" and "+MergesFile+", or "+VocabTxtFile+")")
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: %s", ErrMissingFiles, strings.Join(missing, ", "))
	}
	return nil
}

// wantedFiles lists, in download order, every file worth fetching that has()
// reports present: the required ones first, the optional ones after.
func wantedFiles(has func(name string) bool) []string {
	var names []string
	for _, name := range []string{ConfigFile, TokenizerFile, VocabFile, MergesFile, VocabTxtFile} {
		if has(name) {
			names = append(names, name)
		}
	}
	for _, name := range optionalFiles {
		if has(name) {
			names = append(names, name)
		}
	}
	// The weights last: if they fail, the small files are already cached.
	if has(WeightsFile) {
		names = append(names, WeightsFile)
	}
	return names
}

// regularFileIn returns a has() for files of dir, following symlinks, so a
// dangling snapshot link counts as missing.
func regularFileIn(dir string) func(string) bool {
	return func(name string) bool {
		info, err := os.Stat(filepath.Join(dir, name))
		return err == nil && info.Mode().IsRegular()
	}
}

// nameSet returns a has() over a fixed list of names.
func nameSet(names []string) func(string) bool {
	set := make(map[string]bool, len(names))
	for _, n := range names {
		set[n] = true
	}
	return func(name string) bool { return set[name] }
}
