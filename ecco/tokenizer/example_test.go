package tokenizer_test

import (
	"fmt"
	"log"
	"os"

	"github.com/ecco-go/ecco/ecco/tokenizer"
)

func Example() {
	tok, err := tokenizer.LoadDir("../../tests/testdata/models/tiny-a")
	if err != nil {
		log.Fatal(err)
	}
	ids := tok.Encode("Hello, my dog is cute<|endoftext|>")
	fmt.Println(ids)
	for _, id := range ids {
		fmt.Printf("%q %q partial=%v\n", tok.Token(id), tok.DisplayToken(id), tok.IsPartial(id))
	}
	fmt.Println(tok.Decode(ids))
	// Output:
	// [15496 11 616 3290 318 13779 50256]
	// "Hello" "Hello" partial=true
	// "," "," partial=true
	// "Ġmy" " my" partial=false
	// "Ġdog" " dog" partial=false
	// "Ġis" " is" partial=false
	// "Ġcute" " cute" partial=false
	// "<|endoftext|>" "<|endoftext|>" partial=false
	// Hello, my dog is cute<|endoftext|>
}

// A split emoji: each half shows as U+FFFD; decoding the run restores it.
func ExampleTokenizer_DisplayToken() {
	tok, err := tokenizer.LoadDir("../../tests/testdata/models/tiny-a")
	if err != nil {
		log.Fatal(err)
	}
	ids := tok.Encode("hi🤗")
	for _, id := range ids {
		fmt.Printf("%d %q partial=%v\n", id, tok.DisplayToken(id), tok.IsPartial(id))
	}
	fmt.Printf("%q\n", tok.Decode(ids[1:]))
	// Output:
	// 5303 "hi" partial=true
	// 8582 "�" partial=true
	// 97 "�" partial=true
	// 245 "�" partial=true
	// "🤗"
}

// A SentencePiece Unigram model file read directly (T5's spiece.model is read the same way
// by LoadDir): SentencePiece's normalizer (here nmt_nfkc: full-width letters become ASCII,
// spaces collapse), its pieces, and T5's template appending </s>.
func ExampleLoadSentencePiece() {
	tok, err := tokenizer.LoadSentencePiece(os.DirFS("testdata/spm"), "unigram_nfkc.model")
	if err != nil {
		log.Fatal(err)
	}
	ids := tok.EncodeWithSpecialTokens("Ｈｅｌｌｏ   world")
	fmt.Println(ids)
	for _, id := range ids {
		fmt.Printf("%q partial=%v\n", tok.Token(id), tok.IsPartial(id))
	}
	fmt.Printf("%q\n", tok.Decode(ids))
	// Output:
	// [458 1015 110 2732 305 29 1]
	// "▁H" partial=false
	// "ell" partial=true
	// "o" partial=true
	// "▁wor" partial=false
	// "l" partial=true
	// "d" partial=true
	// "</s>" partial=false
	// "Hello world</s>"
}
