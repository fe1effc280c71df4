package familytest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/ecco/safetensors"
)

// ElectraFromBert writes the tiny-bert-a checkpoint in bertDir as an ELECTRA discriminator
// (ElectraForPreTraining: "electra." prefix, no MLM head, the discriminator head beside the
// encoder, embedding_size = hidden_size so no projection) with its WordPiece files: the same
// network, so the same states as BERT's. No ELECTRA reference output exists; this is its check.
func ElectraFromBert(t testing.TB, bertDir string) string {
	t.Helper()
	dir := Rewrite(t, bertDir, func(name string) string {
		if strings.HasPrefix(name, "cls.") {
			return ""
		}
		return strings.Replace(name, "bert.", "electra.", 1)
	}, []safetensors.Tensor{
		{Name: "discriminator_predictions.dense.weight", Shape: []int{64, 64}, Data: make([]float32, 64*64)},
		{Name: "discriminator_predictions.dense_prediction.weight", Shape: []int{1, 64}, Data: make([]float32, 64)},
	}, "vocab.txt", "tokenizer_config.json")
	config := `{"model_type": "electra", "architectures": ["ElectraForPreTraining"], "embedding_size": 64, "hidden_size": 64,
		"num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 256, "max_position_embeddings": 128,
		"type_vocab_size": 2, "vocab_size": 2000, "hidden_act": "gelu", "layer_norm_eps": 1e-12}`
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}
