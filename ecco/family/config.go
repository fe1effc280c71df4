package family

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
)

// ConfigFile is the HuggingFace model configuration every model folder holds.
const ConfigFile = "config.json"

// maxConfigBytes bounds the read of config.json: real ones are a few KB.
const maxConfigBytes = 1 << 20

// ReadConfig reads config.json from fsys, bounded.
func ReadConfig(fsys fs.FS) ([]byte, error) {
	f, err := fsys.Open(ConfigFile)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w (a HuggingFace model folder holds config.json)", ConfigFile, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxConfigBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", ConfigFile, err)
	}
	if len(data) > maxConfigBytes {
		return nil, fmt.Errorf("%s is larger than %d bytes: not a model config", ConfigFile, maxConfigBytes)
	}
	return data, nil
}

// Kind is what selects a family: config.json's model_type and architectures.
type Kind struct {
	ModelType     string   `json:"model_type"`
	Architectures []string `json:"architectures"`
}

// ParseKind reads model_type and architectures from a config's JSON.
func ParseKind(data []byte) (Kind, error) {
	var k Kind
	if err := json.Unmarshal(data, &k); err != nil {
		return k, fmt.Errorf("%s: malformed JSON: %w", ConfigFile, err)
	}
	return k, nil
}

// IDs reads a token-id field that HuggingFace configs write as a number, a list or null.
func IDs(raw json.RawMessage, key string) ([]int, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var one int
	if err := json.Unmarshal(raw, &one); err == nil {
		return []int{one}, nil
	}
	var many []int
	if err := json.Unmarshal(raw, &many); err != nil {
		return nil, fmt.Errorf("%q is %s, want a token id or a list of them", key, raw)
	}
	return many, nil
}

// Required is one required positive integer of a config: its JSON key, the decoded value (nil
// when absent) and where it goes.
type Required struct {
	Key  string
	From *int
	To   *int
}

// Positive copies every required value, or names the first one absent or not positive.
func Positive(fields ...Required) error {
	for _, f := range fields {
		if f.From == nil {
			return fmt.Errorf("missing %q", f.Key)
		}
		if *f.From <= 0 {
			return fmt.Errorf("%q is %d, want a positive integer", f.Key, *f.From)
		}
		*f.To = *f.From
	}
	return nil
}
