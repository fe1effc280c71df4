package hub

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// maxShardIndexBytes bounds model.safetensors.index.json: a real index lists
// a few thousand tensors and stays well under 1 MiB.
const maxShardIndexBytes = 16 << 20

// maxShardNameBytes bounds a shard's file name (a single path element).
const maxShardNameBytes = 200

// shardSuffix ends every shard name: the index may name nothing but weights.
const shardSuffix = ".safetensors"

// ErrShardIndex: model.safetensors.index.json is malformed, too large, or
// names a shard that is not a plain safetensors file name of the repository.
var ErrShardIndex = errors.New("invalid shard index")

// parseShardIndex reads an index's weight_map ({tensor: shard file}) and
// returns the shard names it uses, sorted. A tensor listed twice, a second
// weight_map, trailing data or a shard name that is not a plain
// "*.safetensors" file name is an error wrapping ErrShardIndex.
func parseShardIndex(data []byte) ([]string, error) {
	if len(data) > maxShardIndexBytes {
		return nil, fmt.Errorf("%w: %d bytes, more than the %d a shard index may have", ErrShardIndex, len(data), maxShardIndexBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := expectDelim(dec, '{', "the index"); err != nil {
		return nil, err
	}
	var weightMap map[string]string
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("%w: malformed JSON: %w", ErrShardIndex, err)
		}
		if key != "weight_map" {
			var skip json.RawMessage // "metadata" and the like: not needed
			if err := dec.Decode(&skip); err != nil {
				return nil, fmt.Errorf("%w: malformed JSON at %q: %w", ErrShardIndex, key, err)
			}
			continue
		}
		if weightMap != nil {
			return nil, fmt.Errorf("%w: \"weight_map\" appears twice", ErrShardIndex)
		}
		if weightMap, err = readWeightMap(dec); err != nil {
			return nil, err
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, fmt.Errorf("%w: malformed JSON: %w", ErrShardIndex, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: unexpected data after the JSON object", ErrShardIndex)
	}
	if len(weightMap) == 0 {
		return nil, fmt.Errorf("%w: no \"weight_map\" entries; expected {\"weight_map\": {tensor: shard file}}", ErrShardIndex)
	}
	var shards []string
	for _, shard := range weightMap {
		if !slices.Contains(shards, shard) {
			shards = append(shards, shard)
		}
	}
	slices.Sort(shards)
	return shards, nil
}

// readWeightMap decodes the weight_map object token by token, so a tensor
// named twice (which encoding/json would silently overwrite) is caught.
func readWeightMap(dec *json.Decoder) (map[string]string, error) {
	if err := expectDelim(dec, '{', "\"weight_map\""); err != nil {
		return nil, err
	}
	weightMap := map[string]string{}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("%w: malformed \"weight_map\": %w", ErrShardIndex, err)
		}
		tensor := key.(string) // object keys are always strings
		var shard string
		if err := dec.Decode(&shard); err != nil {
			return nil, fmt.Errorf("%w: tensor %.100q: expected a shard file name: %w", ErrShardIndex, tensor, err)
		}
		if _, dup := weightMap[tensor]; dup {
			return nil, fmt.Errorf("%w: tensor %.100q is listed twice in \"weight_map\"", ErrShardIndex, tensor)
		}
		if !validShardName(shard) {
			return nil, fmt.Errorf("%w: tensor %.100q names shard %.100q; expected a plain file name ending in %s (letters, digits, '-', '_', '.', no path)",
				ErrShardIndex, tensor, shard, shardSuffix)
		}
		weightMap[tensor] = shard
	}
	_, err := dec.Token() // the closing brace
	if err != nil {
		return nil, fmt.Errorf("%w: malformed \"weight_map\": %w", ErrShardIndex, err)
	}
	return weightMap, nil
}

func expectDelim(dec *json.Decoder, want json.Delim, what string) error {
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("%w: malformed JSON: %w", ErrShardIndex, err)
	}
	if tok != want {
		return fmt.Errorf("%w: %s is %.40q, expected a JSON object", ErrShardIndex, what, fmt.Sprint(tok))
	}
	return nil
}

// validShardName accepts a single harmless path element naming a
// safetensors file other than the index itself.
func validShardName(name string) bool {
	return strings.HasSuffix(name, shardSuffix) && len(name) > len(shardSuffix) &&
		validName(name, maxShardNameBytes)
}

// readShardIndex reads and parses the index file at path, bounded.
func readShardIndex(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxShardIndexBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	shards, err := parseShardIndex(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return shards, nil
}

// checkShards reports whether every shard the snapshot's index names is
// there; without an index there is nothing to check. A snapshot whose
// download stopped between shards thus counts as incomplete.
func checkShards(snapshot string) error {
	index := filepath.Join(snapshot, shardIndexFile)
	if !regularFileIn(snapshot)(shardIndexFile) {
		return nil
	}
	shards, err := readShardIndex(index)
	if err != nil {
		return err
	}
	present := regularFileIn(snapshot)
	var missing []string
	for _, shard := range shards {
		if !present(shard) {
			missing = append(missing, shard)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: %s names shards that are missing: %s", ErrMissingFiles, index, strings.Join(missing, ", "))
	}
	return nil
}
