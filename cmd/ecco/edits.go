package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/ecco-go/ecco/ecco"
	"github.com/ecco-go/ecco/ecco/family"
)

// editFlags collects -ablate, -add and -set (each repeatable) in command-line order.
type editFlags struct {
	edits []ecco.Edit
	given []string // each edit as typed, "-ablate 1:3,17"
}

func (f *editFlags) declare(fs *flag.FlagSet) {
	fs.Func("ablate", "set FFN neurons to 0 at every position: `L:n1,n2` (layer L; repeatable)", f.parser(ecco.Ablate))
	fs.Func("add", "add V to FFN neurons at every position: `L:n1,n2=V` (repeatable)", f.parser(ecco.Add))
	fs.Func("set", "set FFN neurons to V at every position: `L:n1,n2=V` (repeatable)", f.parser(ecco.Set))
}

func (f *editFlags) parser(mode ecco.EditMode) func(string) error {
	return func(text string) error {
		e, err := parseEdit(mode, text)
		if err != nil {
			return err
		}
		f.edits = append(f.edits, e)
		f.given = append(f.given, fmt.Sprintf("-%s %s", mode, text))
		return nil
	}
}

// parseEdit reads "L:n1,n2" (ablate) or "L:n1,n2=V" (add, set).
func parseEdit(mode ecco.EditMode, text string) (ecco.Edit, error) {
	want := "L:n1,n2"
	if mode != ecco.Ablate {
		want = "L:n1,n2=V"
	}
	bad := func(why string) (ecco.Edit, error) {
		return ecco.Edit{}, fmt.Errorf("%s: want %s (layer L, its FFN neurons n1, n2, ...)", why, want)
	}
	e := ecco.Edit{Mode: mode}
	layer, rest, ok := strings.Cut(text, ":")
	if !ok {
		return bad("no ':' after the layer")
	}
	var err error
	if e.Layer, err = strconv.Atoi(strings.TrimSpace(layer)); err != nil {
		return bad(fmt.Sprintf("layer %q is not a number", layer))
	}
	neurons, value, hasValue := strings.Cut(rest, "=")
	switch {
	case mode == ecco.Ablate && hasValue:
		return bad("-ablate takes no value")
	case mode != ecco.Ablate && !hasValue:
		return bad("no '=V' value")
	case hasValue:
		v, err := strconv.ParseFloat(strings.TrimSpace(value), 32)
		if err != nil {
			return bad(fmt.Sprintf("value %q is not a number", value))
		}
		e.Value = float32(v)
	}
	for n := range strings.SplitSeq(neurons, ",") {
		j, err := strconv.Atoi(strings.TrimSpace(n))
		if err != nil {
			return bad(fmt.Sprintf("neuron %q is not a number", n))
		}
		e.Neurons = append(e.Neurons, j)
	}
	return e, nil
}

// apply checks every edit against the model (naming the flag that gave a bad one) and returns
// lm running with them.
func (f *editFlags) apply(lm *ecco.LM) (*ecco.LM, error) {
	for i, e := range f.edits {
		if err := family.CheckEdit(e, lm.Info()); err != nil {
			return nil, usageErrorf("%s: %v", f.given[i], err)
		}
	}
	if len(f.edits) == 0 {
		return lm, nil
	}
	return lm.WithEdits(f.edits...)
}
