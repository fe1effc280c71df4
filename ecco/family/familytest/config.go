package familytest

import (
	"encoding/json"
	"testing"
)

// EditedConfig returns the JSON config with edit (nil: none) applied to its decoded keys: a test
// varies one key of a valid config at a time.
func EditedConfig(t testing.TB, config string, edit func(map[string]any)) []byte {
	t.Helper()
	var raw map[string]any
	if err := json.Unmarshal([]byte(config), &raw); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(raw)
	}
	data, err := json.Marshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
