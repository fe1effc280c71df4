package ecco

// LensData is the logit lens over the generated tokens, for one convention (see Output.LensData).
// Layer l (0-based) is HuggingFace's hidden_states[l+1]; token j is the j-th generated token,
// read at the position that produced it (NInput+j−1).
type LensData struct {
	RankOfGenerated [][]int       `json:"rank_of_generated_token"` // [L][G], 1 = top
	LayerTop1       [][]int       `json:"layer_top1_id"`           // [L][G]
	TopIDs          [][][]int     `json:"top_ids"`                 // [G][L][K]
	TopProbs        [][][]float64 `json:"top_probs"`               // [G][L][K], softmax of the same logits
	TopTokens       [][][]string  `json:"top_tokens"`              // [G][L][K], display strings
}
