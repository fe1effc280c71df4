package tokenizer

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// wantError checks that err is non-nil and mentions every fragment.
func wantError(t *testing.T, err error, fragments ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want one mentioning %q", fragments)
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not mention %q", err, f)
		}
	}
}

func TestLoadMissingFiles(t *testing.T) {
	_, err := Load(fstest.MapFS{})
	wantError(t, err, "no tokenizer.json, spiece.model or vocab.json", "expected tokenizer.json, spiece.model, or vocab.json and merges.txt")

	_, err = Load(modelFiles(t, VocabFile))
	wantError(t, err, "opening merges.txt", "file does not exist", "vocab.json needs merges.txt beside it")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("errors.Is(%v, fs.ErrNotExist) = false", err)
	}

	missing := filepath.Join(t.TempDir(), "absent")
	_, err = LoadDir(missing)
	wantError(t, err, missing, "expected a directory")

	file := filepath.Join(t.TempDir(), "tokenizer.json")
	if err := os.WriteFile(file, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = LoadDir(file)
	wantError(t, err, file, "is not a directory")
}

// TestLoadDirNamesFullPath checks that errors from LoadDir give the file's path.
func TestLoadDirNamesFullPath(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{VocabFile: `{"a": 0}`, MergesFile: "#version: 0.2\na b c\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := LoadDir(dir)
	wantError(t, err, filepath.Join(dir, MergesFile)+" line 2", `"a b c"`, "expected two tokens separated by one space")
}

func TestLoadMalformedTokenizerJSON(t *testing.T) {
	edits := []struct {
		name      string
		edit      func(doc map[string]any)
		fragments []string
	}{
		{"wrong model", func(d map[string]any) { model(d)["type"] = "WordLevel" }, []string{`model.type is "WordLevel"`, `supported: "BPE", "WordPiece", "Unigram"`}},
		{"WordPiece without unk", func(d map[string]any) { model(d)["type"] = "WordPiece" }, []string{`WordPiece's unknown token "" is not in the vocabulary`}},
		{"unk not in vocab", func(d map[string]any) { model(d)["unk_token"] = "<unk>" }, []string{`unknown token "<unk>" is not in the vocabulary`}},
		{"no model", func(d map[string]any) { delete(d, "model") }, []string{`no "model" object`}},
		{"no vocab", func(d map[string]any) { delete(model(d), "vocab") }, []string{"no model.vocab"}},
		{"no merges", func(d map[string]any) { delete(model(d), "merges") }, []string{"no model.merges"}},
		{"merge not a string", func(d map[string]any) { model(d)["merges"] = []any{"l l", 7} }, []string{"model.merges[1] is 7", `expected "left right"`}},
		{"merge of three", func(d map[string]any) { model(d)["merges"] = []any{[]string{"l", "l", "o"}} }, []string{"model.merges[0]", "two non-empty tokens"}},
		{"merge out of vocab", func(d map[string]any) { model(d)["merges"] = []any{"l l", "q ll"} }, []string{"model.merges index 1", `"qll"`, "not in the vocabulary"}},
		{"vocab id not a number", func(d map[string]any) { model(d)["vocab"] = map[string]any{"a": "zero"} }, []string{"tokenizer.json", "wrong type"}},
		{"negative id", func(d map[string]any) { vocab(d)["ll"] = -3 }, []string{`token "ll" has id -3`}},
		{"huge id", func(d map[string]any) { vocab(d)["ll"] = 1 << 40 }, []string{`token "ll" has id 1099511627776`}},
		{"duplicate id", func(d map[string]any) { vocab(d)["zz"] = 256 }, []string{"id 256 is given to both", `"ll"`, `"zz"`}},
		{"missing byte", func(d map[string]any) { delete(vocab(d), "Ġ") }, []string{"no token for byte 0x20", "all 256 bytes"}},
		{"empty token", func(d map[string]any) { vocab(d)[""] = 300 }, []string{"empty token string for id 300"}},
		{"normalizer", func(d map[string]any) { d["normalizer"] = map[string]any{"type": "Nmt"} },
			[]string{`normalizer: normalizer type "Nmt" is not supported`, "NFC, NFD"}},
		{"precompiled without charsmap", func(d map[string]any) { d["normalizer"] = map[string]any{"type": "Precompiled"} },
			[]string{`normalizer has no precompiled_charsmap`}},
		{"nested normalizer", func(d map[string]any) {
			d["normalizer"] = map[string]any{"type": "Sequence", "normalizers": []any{map[string]any{"type": "NFC"}, map[string]any{"type": "Nope"}}}
		}, []string{`normalizer.normalizers[1]: normalizer type "Nope"`}},
		{"pre-tokenizer", func(d map[string]any) { d["pre_tokenizer"] = map[string]any{"type": "UnicodeScripts"} },
			[]string{`pre_tokenizer: pre-tokenizer type "UnicodeScripts" is not supported`, "Metaspace"}},
		{"lookbehind regex", func(d map[string]any) {
			d["pre_tokenizer"] = map[string]any{"type": "Split", "pattern": map[string]any{"Regex": `(?<=a)b`}, "behavior": "Isolated"}
		}, []string{`pre_tokenizer.pattern.Regex "(?<=a)b"`, "Llama 3 and Qwen split patterns"}},
		{"split behavior", func(d map[string]any) {
			d["pre_tokenizer"] = map[string]any{"type": "Split", "pattern": map[string]any{"String": " "}, "behavior": "Sideways"}
		}, []string{`pre_tokenizer.behavior is "Sideways"`}},
		{"split without pattern", func(d map[string]any) { d["pre_tokenizer"] = map[string]any{"type": "Split"} }, []string{"pre_tokenizer has no pattern"}},
		{"decoder", func(d map[string]any) { d["decoder"] = map[string]any{"type": "CTC"} }, []string{`decoder: decoder type "CTC" is not supported`}},
		{"post-processor", func(d map[string]any) { d["post_processor"] = map[string]any{"type": "Nope"} },
			[]string{`post_processor: post-processor type "Nope" is not supported`, "TemplateProcessing"}},
		{"template names an unknown token", func(d map[string]any) {
			d["post_processor"] = map[string]any{"type": "TemplateProcessing",
				"single":         []any{map[string]any{"SpecialToken": map[string]any{"id": "<s>"}}, map[string]any{"Sequence": map[string]any{"id": "A"}}},
				"special_tokens": map[string]any{}}
		}, []string{`post_processor.single[0] names special token "<s>"`}},
		{"template id of no token", func(d map[string]any) {
			d["post_processor"] = map[string]any{"type": "TemplateProcessing",
				"single":         []any{map[string]any{"SpecialToken": map[string]any{"id": "<s>"}}, map[string]any{"Sequence": map[string]any{"id": "A"}}},
				"special_tokens": map[string]any{"<s>": map[string]any{"id": "<s>", "ids": []int{9999}}}}
		}, []string{`adds "<s>" as id 9999, which no token has`}},
		{"bert processing malformed", func(d map[string]any) {
			d["post_processor"] = map[string]any{"type": "BertProcessing", "cls": []any{"[CLS]"}, "sep": []any{"[SEP]", 1}}
		}, []string{`post_processor.cls: expected ["token", id]`}},
		{"dropout", func(d map[string]any) { model(d)["dropout"] = 0.1 }, []string{"model.dropout is 0.1"}},
		{"added token without id", func(d map[string]any) { d["added_tokens"] = []any{map[string]any{"content": "<x>"}} }, []string{`added_tokens[0] ("<x>") has no id`}},
		{"added token clash", func(d map[string]any) {
			d["added_tokens"] = []any{map[string]any{"id": 256, "content": "<x>"}}
		}, []string{`added token "<x>" has id 256`, `gives to "ll"`}},
		{"added token moved", func(d map[string]any) {
			d["added_tokens"] = []any{map[string]any{"id": 500, "content": "<|endoftext|>"}}
		}, []string{`added token "<|endoftext|>" has id 500`, "gives it id 261"}},
		{"empty added token", func(d map[string]any) { d["added_tokens"] = []any{map[string]any{"id": 300, "content": ""}} }, []string{"added token 300 has empty content"}},
	}
	for _, e := range edits {
		t.Run(e.name, func(t *testing.T) {
			doc := syntheticJSON()
			e.edit(doc)
			_, err := Load(jsonFS(t, doc))
			wantError(t, err, append([]string{"tokenizer.json"}, e.fragments...)...)
		})
	}
}

func model(doc map[string]any) map[string]any { return doc["model"].(map[string]any) }
func vocab(doc map[string]any) map[string]int { return model(doc)["vocab"].(map[string]int) }

func TestLoadBrokenFiles(t *testing.T) {
	cases := []struct {
		name      string
		files     map[string]string
		fragments []string
	}{
		{"truncated tokenizer.json", map[string]string{TokenizerJSONFile: `{"model": {"vocab": {"a": 1`},
			[]string{"tokenizer.json", "invalid JSON", "expected a HuggingFace tokenizer.json"}},
		{"tokenizer.json not an object", map[string]string{TokenizerJSONFile: `[1, 2]`},
			[]string{"tokenizer.json", "wrong type"}},
		{"bad vocab.json", map[string]string{VocabFile: `{"a": 0,}`, MergesFile: ""},
			[]string{"vocab.json", "invalid JSON at byte 9", "expected a JSON object of token -> id"}},
		{"null vocab.json", map[string]string{VocabFile: `null`, MergesFile: ""},
			[]string{"vocab.json", "is null"}},
		{"empty vocab.json", map[string]string{VocabFile: `{}`, MergesFile: ""},
			[]string{"vocab.json and merges.txt", "vocabulary is empty"}},
		{"merges line without space", map[string]string{VocabFile: `{"a": 0}`, MergesFile: "#version: 0.2\nab\n"},
			[]string{"merges.txt line 2", `"ab"`}},
		{"merges empty line", map[string]string{VocabFile: `{"a": 0}`, MergesFile: "a b\n\nc d\n"},
			[]string{"merges.txt line 2", `""`}},
		{"merges double space", map[string]string{VocabFile: `{"a": 0}`, MergesFile: "a  b\n"},
			[]string{"merges.txt line 1", `"a  b"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, data := range c.files {
				fsys[name] = &fstest.MapFile{Data: []byte(data)}
			}
			_, err := Load(fsys)
			wantError(t, err, c.fragments...)
		})
	}
}

// TestVocabMergesFromSynthetic loads the synthetic tokenizer from vocab.json
// and merges.txt, including a merge of tokens that are not in the vocabulary.
func TestVocabMergesFromSynthetic(t *testing.T) {
	vocabJSON := jsonFS(t, map[string]any{"v": syntheticVocab(syntheticExtra...)})["tokenizer.json"].Data
	vocabJSON = []byte(strings.TrimSuffix(strings.TrimPrefix(string(vocabJSON), `{"v":`), "}"))
	merges := "#version: 0.2\r\n" + strings.Join(syntheticMerges, "\r\n") + "\r\n"
	fsys := fstest.MapFS{VocabFile: {Data: vocabJSON}, MergesFile: {Data: []byte(merges)}}
	tok, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if got := tok.Encode("hello hello"); len(got) != 2 || got[0] != 259 || got[1] != 260 {
		t.Errorf(`Encode("hello hello") = %v, want [259 260]`, got)
	}
	if tok.EndOfText() != -1 {
		t.Errorf("EndOfText = %d, want -1 (no <|endoftext|> in the vocabulary)", tok.EndOfText())
	}
	fsys[MergesFile] = &fstest.MapFile{Data: []byte(merges + "x q\n")}
	_, err = Load(fsys)
	wantError(t, err, "merges.txt line 7", `merge "x" "q" uses "xq"`, "not in the vocabulary")
}

func TestLoadOversizedFile(t *testing.T) {
	// A file whose size is known is refused before reading.
	big := fstest.MapFS{TokenizerJSONFile: {Data: []byte("{}")}}
	_, err := Load(sizeLiar{big, MaxFileSize + 1, false})
	wantError(t, err, "tokenizer.json is larger than 64 MiB")

	// A file that claims to be small but never ends is cut at the limit.
	_, err = Load(sizeLiar{big, 0, true})
	wantError(t, err, "tokenizer.json is larger than 64 MiB")
}

// sizeLiar serves tokenizer.json with a made-up size and, if endless, with
// content that never ends.
type sizeLiar struct {
	fstest.MapFS
	size    int64
	endless bool
}

func (s sizeLiar) Open(name string) (fs.File, error) {
	f, err := s.MapFS.Open(name)
	if err != nil || name != TokenizerJSONFile {
		return f, err
	}
	return &liarFile{File: f, size: s.size, endless: s.endless}, nil
}

type liarFile struct {
	fs.File
	size    int64
	endless bool
}

func (f *liarFile) Stat() (fs.FileInfo, error) { return liarInfo{f.size}, nil }

func (f *liarFile) Read(p []byte) (int, error) {
	if !f.endless {
		return f.File.Read(p)
	}
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

type liarInfo struct{ size int64 }

func (i liarInfo) Name() string       { return TokenizerJSONFile }
func (i liarInfo) Size() int64        { return i.size }
func (i liarInfo) Mode() fs.FileMode  { return 0o444 }
func (i liarInfo) ModTime() time.Time { return time.Time{} }
func (i liarInfo) IsDir() bool        { return false }
func (i liarInfo) Sys() any           { return nil }

var _ io.Reader = (*liarFile)(nil)
