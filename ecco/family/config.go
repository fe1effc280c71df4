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

// HubSizes are the size keys that the LLaMA-, Gemma- and GPT-NeoX-style configs share, as
// decoded JSON: embed it in a family's raw config.
type HubSizes struct {
	Layers    *int            `json:"num_hidden_layers"`
	Width     *int            `json:"hidden_size"`
	Heads     *int            `json:"num_attention_heads"`
	Inner     *int            `json:"intermediate_size"`
	Positions *int            `json:"max_position_embeddings"`
	Vocab     *int            `json:"vocab_size"`
	EOS       json.RawMessage `json:"eos_token_id"`
}

// Sizes are HubSizes read and checked: embed it in a family's Config.
type Sizes struct {
	Layers    int   // num_hidden_layers
	Width     int   // hidden_size, D
	Heads     int   // num_attention_heads, H
	Inner     int   // intermediate_size, N
	Positions int   // max_position_embeddings
	Vocab     int   // vocab_size
	EOS       []int // eos_token_id
}

// Read checks that every size is present and positive and reads the end-of-sequence ids.
func (h HubSizes) Read() (Sizes, error) {
	var s Sizes
	if err := Positive(
		Required{Key: "num_hidden_layers", From: h.Layers, To: &s.Layers},
		Required{Key: "hidden_size", From: h.Width, To: &s.Width},
		Required{Key: "num_attention_heads", From: h.Heads, To: &s.Heads},
		Required{Key: "intermediate_size", From: h.Inner, To: &s.Inner},
		Required{Key: "max_position_embeddings", From: h.Positions, To: &s.Positions},
		Required{Key: "vocab_size", From: h.Vocab, To: &s.Vocab},
	); err != nil {
		return s, err
	}
	eos, err := IDs(h.EOS, "eos_token_id")
	s.EOS = eos
	return s, err
}

// Info describes a decoder of these sizes: its key/value heads, the module whose input its FFN
// neurons are, and its final norm.
func (s Sizes) Info(modelType string, kvHeads int, capture, finalNorm string) Info {
	return Info{
		ModelType: modelType, Layers: s.Layers, Width: s.Width, Heads: s.Heads, KVHeads: kvHeads,
		Neurons: s.Inner, Vocab: s.Vocab, Positions: s.Positions, EOS: s.EOS,
		Capture: capture, FinalNorm: finalNorm,
	}
}

// LinearRopeFactor reads a rope scaling that may only be linear, of type ropeType ("rope_type" or
// the older "type"): its factor, 1 for none ("" or "default"); key names the object in errors.
func LinearRopeFactor(key, ropeType string, factor *float64) (float64, error) {
	switch ropeType {
	case "", "default":
		return 1, nil
	case "linear":
		if factor == nil || !(*factor > 0) {
			return 0, fmt.Errorf("%q type \"linear\" needs a positive \"factor\"", key)
		}
		return *factor, nil
	}
	return 0, fmt.Errorf("%q type %q is not supported: want \"linear\" (or no scaling)", key, ropeType)
}
