package tokenizer

import (
	"encoding/json"
	"fmt"
	"strings"
)

// parseVocab reads vocab.json: one JSON object of byte-level token -> id.
func parseVocab(data []byte, name string) (map[string]int, error) {
	var vocab map[string]int
	if err := json.Unmarshal(data, &vocab); err != nil {
		return nil, fmt.Errorf("tokenizer: %s: %w; expected a JSON object of token -> id", name, describeJSONError(err))
	}
	if vocab == nil {
		return nil, fmt.Errorf("tokenizer: %s: is null; expected a JSON object of token -> id", name)
	}
	return vocab, nil
}

// parseMergesText reads merges.txt: an optional "#version" first line, then one
// merge per line, two tokens separated by one space, highest priority first.
func parseMergesText(data []byte, name string) ([]mergeEntry, error) {
	lines := strings.Split(string(data), "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1] // the final newline ends the last line
	}
	merges := make([]mergeEntry, 0, len(lines))
	for i, line := range lines {
		line = strings.TrimSuffix(line, "\r")
		if i == 0 && strings.HasPrefix(line, "#version") {
			continue
		}
		left, right, ok := strings.Cut(line, " ")
		if !ok || left == "" || right == "" || strings.Contains(right, " ") {
			return nil, fmt.Errorf("tokenizer: %s line %d: %q; expected two tokens separated by one space", name, i+1, truncate(line, 40))
		}
		merges = append(merges, mergeEntry{left: left, right: right, line: i + 1})
	}
	return merges, nil
}

// truncate shortens s to at most n bytes for error messages.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
