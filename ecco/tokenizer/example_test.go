package tokenizer_test

import (
	"fmt"
	"log"

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
