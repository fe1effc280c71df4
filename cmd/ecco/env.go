package main

import (
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"
	"text/tabwriter"

	"github.com/ecco-go/ecco/ecco"
)

const envSynopsis = "ecco env [-json]"

// runEnv prints the build and machine: what a bug report needs.
func runEnv(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("env")
	asJSON := fs.Bool("json", false, "print one JSON object (the fields `ecco bench -json` also records)")
	if err := parseFlags(fs, envSynopsis, args, stdout); err != nil {
		return err
	}
	e := ecco.ReadEnv()
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(e)
	}
	return printEnv(stdout, e)
}

// printEnv writes one "key value" line per field, under the JSON names so that both forms read alike.
func printEnv(w io.Writer, e ecco.Env) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	v := reflect.ValueOf(e)
	for i := range v.NumField() {
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
		fmt.Fprintf(tw, "%s\t%v\n", name, v.Field(i))
	}
	return tw.Flush()
}

// noteFastPath says, once per command that runs a model, that this build lacks the SIMD matrix
// products and the one line that turns them on.
func noteFastPath(stderr io.Writer) {
	fmt.Fprint(stderr, fastPathNote())
}

// fastPathNote is noteFastPath's line, empty on the fast path.
func fastPathNote() string {
	if ecco.FastPath() {
		return ""
	}
	return "ecco: note: " + ecco.ReadEnv().FastPathHint + "\n"
}
