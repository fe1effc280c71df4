package ecco

import (
	"fmt"
	"slices"

	"github.com/ecco-go/ecco/display"
)

// FaithfulnessView is the widget ranking the methods whose faithfulness the Output holds
// (ScoreFaithfulness, `ecco generate -faithfulness`) by their AOPC over the generated tokens.
func (o *Output) FaithfulnessView() (display.Faithfulness, error) {
	o.mu.Lock()
	f := o.Faithfulness
	o.mu.Unlock()
	if f == nil || len(f.Methods) == 0 {
		return display.Faithfulness{}, fmt.Errorf("ecco: this Output holds no faithfulness: call out.ScoreFaithfulness(methods, nil) or out.ShowFaithfulness() first")
	}
	v := display.Faithfulness{
		Context:   fmt.Sprintf("%d generated tokens after %d prompt tokens", o.NGenerated(), o.NInput),
		Baseline:  f.Baseline,
		Fractions: f.Fractions,
	}
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for name := range f.Methods {
			if !yield(name) {
				return
			}
		}
	}) {
		m := f.Methods[name]
		v.Methods = append(v.Methods, display.MethodFaithfulness{
			Method:                name,
			Comprehensiveness:     columnMeans(m.Comprehensiveness, len(f.Fractions)),
			Sufficiency:           columnMeans(m.Sufficiency, len(f.Fractions)),
			AOPCComprehensiveness: m.MeanAOPCComprehensiveness,
			AOPCSufficiency:       m.MeanAOPCSufficiency,
		})
	}
	return v, nil
}

// columnMeans is the mean over the rows of each of the n columns.
func columnMeans(rows [][]float64, n int) []float64 {
	out := make([]float64, n)
	for _, r := range rows {
		for k, v := range r {
			out[k] += v / float64(len(rows))
		}
	}
	return out
}

// ShowFaithfulness displays the faithfulness ranking of methods in a notebook, measuring it
// first with the default options (10, 20, 50 %, zero baseline) when the Output lacks it; no
// methods: every method whose attributions the Output holds.
func (o *Output) ShowFaithfulness(methods ...Method) error {
	if len(methods) == 0 {
		o.mu.Lock()
		for name := range o.Attributions {
			methods = append(methods, Method(name))
		}
		o.mu.Unlock()
		slices.Sort(methods)
	}
	if len(methods) > 0 {
		if _, err := o.ScoreFaithfulness(methods, nil); err != nil {
			return shown(err)
		}
	}
	return showView(o.FaithfulnessView())
}

// ContrastView is the saliency widget of the Output's contrast (ContrastFoil) for a gradient
// method: of p(target) − p(foil), or with logit of logit(target) − logit(foil), each generated
// token named beside its foil.
func (o *Output) ContrastView(method Method, logit bool, style display.Style) (display.Saliency, error) {
	o.mu.Lock()
	c := o.Contrastive
	o.mu.Unlock()
	if c == nil {
		return display.Saliency{}, fmt.Errorf("ecco: this Output holds no contrast: call out.ContrastFoil(foil, methods) first")
	}
	s, ok := c.Methods[string(method)]
	if !ok {
		return display.Saliency{}, fmt.Errorf("ecco: the contrast with %q holds no %s (it holds %d methods)", c.Foil, method, len(c.Methods))
	}
	v := display.Saliency{Tokens: o.displayTokens(), NInput: o.NInput, Method: string(method) + " of p(target) − p(foil)", Scores: s.Probability, Style: style}
	if logit {
		v.Method, v.Scores = string(method)+" of logit(target) − logit(foil)", s.Logit
	}
	for _, t := range o.foilTokens(c) {
		v.Foils = append(v.Foils, t.Text)
	}
	return v, nil
}

// foilTokens are the display strings of the foil's tokens: with the model's tokenizer when
// attached, else the foil's text for a one-token foil and the ids for longer ones.
func (o *Output) foilTokens(c *Contrastive) []display.Token {
	if lm := o.model(); lm != nil {
		return lm.displayTokens(c.FoilIDs)
	}
	out := make([]display.Token, len(c.FoilIDs))
	for i, id := range c.FoilIDs {
		out[i] = display.Token{Text: fmt.Sprintf("<id %d>", id), ID: id}
	}
	if len(out) == 1 {
		out[0].Text = c.Foil
	}
	return out
}

// explanationViews are the contrast (both scores of each method) and faithfulness views the
// Output holds, for Views.
func (o *Output) explanationViews() ([]display.View, error) {
	var views []display.View
	o.mu.Lock()
	c, f := o.Contrastive, o.Faithfulness
	o.mu.Unlock()
	if c != nil {
		for _, m := range []Method{GradXInput, Gradient, IntegratedGradients} {
			if _, ok := c.Methods[string(m)]; !ok {
				continue
			}
			for _, logit := range []bool{false, true} {
				v, err := o.ContrastView(m, logit, display.StyleMinimal)
				if err != nil {
					return nil, err
				}
				views = append(views, v)
			}
		}
	}
	if f != nil && len(f.Methods) > 0 {
		v, err := o.FaithfulnessView()
		if err != nil {
			return nil, err
		}
		views = append(views, v)
	}
	return views, nil
}
