package tokenizer

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

// protoField appends one protobuf field (wire type from the value's Go type: uint64 varint,
// float32 fixed32, []byte or string length-delimited).
func protoField(buf []byte, field int, value any) []byte {
	switch v := value.(type) {
	case uint64:
		buf = binary.AppendUvarint(buf, uint64(field)<<3|wireVarint)
		return binary.AppendUvarint(buf, v)
	case float32:
		buf = binary.AppendUvarint(buf, uint64(field)<<3|wireFixed32)
		return binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
	case string:
		return protoField(buf, field, []byte(v))
	case []byte:
		buf = binary.AppendUvarint(buf, uint64(field)<<3|wireBytes)
		buf = binary.AppendUvarint(buf, uint64(len(v)))
		return append(buf, v...)
	}
	panic("protoField: unsupported value type")
}

// spmPieceBytes is one ModelProto.SentencePiece message.
func spmPieceBytes(piece string, score float32, kind int) []byte {
	b := protoField(nil, fieldPiece, piece)
	b = protoField(b, fieldScore, score)
	return protoField(b, fieldType, uint64(kind))
}

// tinySPModel is a valid model: <unk>, <s>, </s>, then a few pieces; trainer is appended as is.
func tinySPModel(trainer []byte) []byte {
	var m []byte
	m = protoField(m, fieldPieces, spmPieceBytes("<unk>", 0, pieceUnknown))
	m = protoField(m, fieldPieces, spmPieceBytes("<s>", 0, pieceControl))
	m = protoField(m, fieldPieces, spmPieceBytes("</s>", 0, pieceControl))
	for i, p := range []string{"▁", "a", "b", "▁ab"} {
		m = protoField(m, fieldPieces, spmPieceBytes(p, -float32(i+1), pieceNormal))
	}
	return protoField(m, fieldTrainerSpec, trainer)
}

func loadSPBytes(model []byte, config string) (*Tokenizer, error) {
	fsys := fstest.MapFS{SentencePieceFile: {Data: model}}
	if config != "" {
		fsys[TokenizerConfigFile] = &fstest.MapFile{Data: []byte(config)}
	}
	return Load(fsys)
}

// TestSentencePieceErrors: each malformed or unsupported model file, or config, is one error
// naming the file and what was expected.
func TestSentencePieceErrors(t *testing.T) {
	real, err := os.ReadFile("testdata/spm/unigram_bf.model")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loadSPBytes(tinySPModel(nil), ""); err != nil {
		t.Fatalf("the tiny model does not load: %v", err)
	}
	bpe := protoField(nil, fieldModelType, uint64(2))
	noUnk := protoField(nil, fieldPieces, spmPieceBytes("a", -1, pieceNormal))
	wrongWire := protoField(nil, fieldPieces, protoField(protoField(nil, fieldPiece, "a"), fieldScore, uint64(1)))
	for _, c := range []struct {
		name, config string
		model        []byte
		want         []string
	}{
		{"empty", "", nil, []string{"no pieces"}},
		{"truncated", "", real[:len(real)/2], []string{"only", "remain in the message"}},
		{"not protobuf", "", []byte("{\"model\": \"json\"}"), []string{"byte 1: wire type 3"}},
		{"varint overflow", "", []byte{0x98, 0x06, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, []string{"longer than 10 bytes"}},
		{"group", "", []byte{0x0b}, []string{"wire type 3"}},
		{"score as varint", "", wrongWire, []string{"pieces[0].score has wire type 0; expected 5"}},
		{"bpe", "", tinySPModel(bpe), []string{"model_type is BPE", "UNIGRAM models only"}},
		{"no unk", "", noUnk, []string{"no piece of type UNKNOWN"}},
		{"byte fallback without bytes", "", tinySPModel(protoField(nil, fieldByteFallback, uint64(1))), []string{"byte_fallback is true but 0 pieces have type BYTE; expected 256"}},
		{"duplicate", "", append(tinySPModel(nil), protoField(nil, fieldPieces, spmPieceBytes("a", -1, pieceNormal))...), []string{`repeats "a"`}},
		{"bad type", "", protoField(nil, fieldPieces, spmPieceBytes("a", -1, 9)), []string{"type is 9"}},
		{"eos out of range", "", tinySPModel(protoField(nil, fieldEosID, uint64(99))), []string{"eos_id is 99"}},
		{"no eos for T5", "", tinySPModel(protoField(nil, fieldEosID, uint64(math.MaxUint64))), []string{"eos_id is -1", "which T5's template appends"}},
		{"suffix whitespace", "", tinySPModel(protoField(nil, fieldTreatWhitespaceAsSuffix, uint64(1))), []string{"treat_whitespace_as_suffix"}},
		{"bad charsmap", "", append(tinySPModel(nil), protoField(nil, fieldNormalizerSpec, protoField(nil, fieldCharsmap, "\xff\xff\xff\xff"))...), []string{"trie size"}},
		{"pegasus", `{"tokenizer_class": "PegasusTokenizer"}`, tinySPModel(nil), []string{"tokenizer_config.json", "shifts the SentencePiece ids by 103"}},
		{"albert", `{"tokenizer_class": "AlbertTokenizer"}`, tinySPModel(nil), []string{"tokenizer_config.json", `tokenizer_class "AlbertTokenizer"`, "supported: T5Tokenizer"}},
		{"not legacy", `{"legacy": false}`, tinySPModel(nil), []string{"tokenizer_config.json", "legacy is false"}},
		{"extra ids", `{"extra_ids": -1}`, tinySPModel(nil), []string{"extra_ids is -1"}},
		{"added tokens key", `{"added_tokens_decoder": {"x": {"content": "<a>"}}}`, tinySPModel(nil), []string{`added_tokens_decoder key "x"`}},
		{"added token clash", `{"added_tokens_decoder": {"4": {"content": "<a>"}}}`, tinySPModel(nil), []string{`added token "<a>" has id 4, which the vocabulary gives to "a"`}},
		{"config syntax", `{`, tinySPModel(nil), []string{"tokenizer_config.json", "expected a JSON object"}},
	} {
		_, err := loadSPBytes(c.model, c.config)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if strings.Count(err.Error(), "tokenizer: ") != 1 {
			t.Errorf("%s: %q is not one error", c.name, err)
		}
		if c.config == "" {
			c.want = append(c.want, "spiece.model", "expected")
		}
		wantError(t, err, c.want...)
	}
}

// FuzzSentencePieceModel: any bytes as spiece.model (and the models with bytes flipped) load or
// give an error, never a panic; a model that loads encodes and decodes text without panicking.
func FuzzSentencePieceModel(f *testing.F) {
	data, err := os.ReadFile("testdata/spm/unigram_nodummy.model") // the smallest trained model
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(data[:len(data)/3])
	f.Add(tinySPModel(nil))
	// With byte fallback and a user-defined piece (charsmaps have TestPrecompiledUntrusted).
	withBytes := tinySPModel(protoField(nil, fieldByteFallback, uint64(1)))
	for b := range 256 {
		withBytes = protoField(withBytes, fieldPieces, spmPieceBytes(fmt.Sprintf("<0x%02X>", b), 0, pieceByte))
	}
	withBytes = protoField(withBytes, fieldPieces, spmPieceBytes("[MASK]", 0, pieceUserDefined))
	f.Add(withBytes)
	f.Fuzz(func(t *testing.T, data []byte) {
		tok, err := loadSPBytes(data, "")
		if err != nil {
			if !strings.Contains(err.Error(), "spiece.model") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		ids := tok.EncodeWithSpecialTokens("ab a\tb ｆｕｌｌ 🤗 [MASK]\xff")
		for _, id := range ids {
			if tok.Token(id) == "" {
				t.Fatalf("id %d names no token", id)
			}
		}
		tok.Decode(append(ids, -1, 1<<30))
	})
}
