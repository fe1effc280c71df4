package ecco

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecco-go/ecco/ecco/bert"
	"github.com/ecco-go/ecco/ecco/family"
	"github.com/ecco-go/ecco/ecco/family/familytest"
)

// TestElectraMatchesBertReference: an ELECTRA discriminator holding tiny-bert-a's encoder (no
// projection) gives, through ForwardEncoder, tiny-bert-a's reference activations and NMF, and
// refuses masked predictions (ELECTRA is explained through its activations).
func TestElectraMatchesBertReference(t *testing.T) {
	lm, err := FromPretrained(familytest.ElectraFromBert(t, filepath.Join(testData, "models", bertModel)), WithActivations())
	if err != nil {
		t.Fatal(err)
	}
	if info := lm.Info(); info.ModelType != "electra" || info.Capture != "output.dense" || !lm.IsEncoder() {
		t.Fatalf("loaded as %+v (encoder %v), want an electra encoder capturing output.dense", info, lm.IsEncoder())
	}
	for p := 1; p <= 4; p++ {
		t.Run(fmt.Sprint("prompt", p), func(t *testing.T) {
			g, acts, nmfFrom := encoderGolden(t, bertModel, p, lm.Info().Layers)
			out := checkEncoderPrompt(t, lm, g, acts, nmfFrom)
			if g.MLM.MaskPos == nil {
				return
			}
			if _, err := out.MaskedPredictions(10); !errors.Is(err, family.ErrNoMLMHead) {
				t.Errorf("ELECTRA masked predictions: error %v, want ErrNoMLMHead", err)
			}
			_, err := out.AttributeMask(GradXInput, -1, -1)
			wantErrorContaining(t, "ELECTRA saliency", err, "no masked-language-model head")
		})
	}
}

// TestEncoderFamiliesBadInputs: per family, a text too long for its positions and a config
// switch the runtime does not implement each give one error naming the limit or the key.
func TestEncoderFamiliesBadInputs(t *testing.T) {
	roberta := reference(t, "tiny-roberta-a")
	_, err := roberta.ForwardEncoder(strings.Repeat(" the", 127)) // 127 words + <s> + </s>
	wantErrorContaining(t, "RoBERTa, 129 tokens", err, "129 tokens", "128 positions")
	out, err := roberta.ForwardEncoder("The capital of France is <mask>.")
	if err != nil {
		t.Fatal(err)
	}
	_, err = out.AttributeMask(GradXInput, 2, -1)
	wantErrorContaining(t, "RoBERTa, position 2", err, "position 2 is not a [MASK]", "[8]")
	noMask, err := reference(t, "tiny-distilbert-a").ForwardEncoder("the capital of france")
	if err != nil {
		t.Fatal(err)
	}
	_, err = noMask.MaskedPredictions(3)
	wantErrorContaining(t, "DistilBERT without [MASK]", err, "no [MASK] token")

	models := filepath.Join(testData, "models")
	for _, c := range []struct{ model, config, key, where string }{
		{"tiny-albert-a", `{"model_type": "albert", "num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 4, "intermediate_size": 256,
			"max_position_embeddings": 128, "vocab_size": 2000, "embedding_size": 32, "inner_group_num": 2}`, `"inner_group_num" 2 is not supported`, "config.json"},
		{"tiny-distilbert-a", `{"model_type": "distilbert", "n_layers": 2, "dim": 64, "n_heads": 4, "max_position_embeddings": 128, "vocab_size": 2000}`, `missing "hidden_dim"`, "config.json"},
		{"tiny-roberta-a", `{"model_type": "roberta", "num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 4, "intermediate_size": 256,
			"max_position_embeddings": 130, "vocab_size": 2000, "type_vocab_size": 1, "position_embedding_type": "relative_key"}`, `position_embedding_type "relative_key" is not supported`, "config.json"},
		{"tiny-albert-a", `{"model_type": "albert", "num_hidden_layers": 3, "hidden_size": 64, "num_attention_heads": 4, "intermediate_size": 256,
			"max_position_embeddings": 128, "vocab_size": 2000, "embedding_size": 32, "num_hidden_groups": 3}`, `"albert.encoder.albert_layer_groups.1.albert_layers.0.`, "is missing"}, // three groups, one stored
	} {
		_, err := FromPretrained(withConfig(t, filepath.Join(models, c.model), c.config))
		wantErrorContaining(t, c.model+" "+c.key, err, c.key, c.where)
	}
}

// TestChooserKnowsEveryEncoder: every model_type package bert runs is one FromPretrained picks.
func TestChooserKnowsEveryEncoder(t *testing.T) {
	for _, modelType := range bert.ModelTypes() {
		if !slices.Contains(SupportedModelTypes(), modelType) {
			t.Errorf("bert runs model_type %q, which the chooser does not list", modelType)
		}
	}
}
