package seq2seq

import (
	"strings"
	"testing"
	"testing/fstest"
)

// startConfig is a Config whose config.json gives the decoder start id start.
type startConfig struct {
	Config
	start int
}

func (c startConfig) Start() (int, error) { return c.start, nil }

// TestDecoderStart: generation_config.json's decoder_start_token_id wins over config.json's (as in
// HuggingFace's generate); without it, or without the file, config.json's counts; a malformed
// file is an error naming it.
func TestDecoderStart(t *testing.T) {
	cfg := startConfig{start: 5}
	for _, c := range []struct {
		files fstest.MapFS
		want  int
	}{
		{fstest.MapFS{GenerationFile: {Data: []byte(`{"decoder_start_token_id": 7, "eos_token_id": 1}`)}}, 7},
		{fstest.MapFS{GenerationFile: {Data: []byte(`{"eos_token_id": 1}`)}}, 5},
		{fstest.MapFS{}, 5},
	} {
		if got, err := decoderStart(c.files, cfg); err != nil || got != c.want {
			t.Errorf("%v: start %d, %v; want %d", c.files, got, err, c.want)
		}
	}
	if _, err := decoderStart(fstest.MapFS{GenerationFile: {Data: []byte(`{`)}}, cfg); err == nil || !strings.Contains(err.Error(), GenerationFile+": malformed JSON") {
		t.Errorf("a malformed %s: %v", GenerationFile, err)
	}
	if _, err := StartID(nil, nil); err == nil || !strings.Contains(err.Error(), "neither decoder_start_token_id nor bos_token_id") {
		t.Errorf("no start id: %v", err)
	}
}
