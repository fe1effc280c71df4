package tokenizer

// A postProcessor adds the special tokens HuggingFace adds by default
// (add_special_tokens=True) around the ids of one sequence.
type postProcessor interface {
	addSpecial(ids []int) []int
}

// templatePost is TemplateProcessing's "single" template: the ids of each
// special token and $A (the sequence) in order. The "pair" template is not
// used, as ecco encodes one text at a time.
type templatePost struct {
	items [][]int // nil stands for the sequence
}

func (t templatePost) addSpecial(ids []int) []int {
	out := make([]int, 0, len(ids)+len(t.items))
	for _, item := range t.items {
		if item == nil {
			out = append(out, ids...)
		} else {
			out = append(out, item...)
		}
	}
	return out
}

// wrapPost is BertProcessing and RobertaProcessing on one sequence: cls $A sep.
type wrapPost struct{ cls, sep int }

func (w wrapPost) addSpecial(ids []int) []int {
	out := make([]int, 0, len(ids)+2)
	out = append(out, w.cls)
	out = append(out, ids...)
	return append(out, w.sep)
}

// postSequence applies its processors in order.
type postSequence []postProcessor

func (seq postSequence) addSpecial(ids []int) []int {
	for _, p := range seq {
		ids = p.addSpecial(ids)
	}
	return ids
}
