package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/ecco-go/ecco/ecco/batchreport"
)

const reportSynopsis = "ecco report DIR [-html report.html] [-json] [-top N] [-factors K] [-max-positions N]"

// runReport summarises an `ecco batch` output folder (ecco/batchreport).
func runReport(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("report")
	html := fs.String("html", "", "write the report as one offline HTML `file`")
	asJSON := fs.Bool("json", false, "print the report's numbers as one JSON object")
	top := fs.Int("top", 20, "most-attributed `tokens` listed per method")
	factors := fs.Int("factors", 8, "NMF `factors` over the pooled activations (records run with -activations)")
	maxPos := fs.Int("max-positions", 2000, "token `positions` pooled for NMF, in file order (bounds the memory: positions × neurons floats)")
	// The folder may come first, as the synopsis shows, or after the flags.
	var dir string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		dir, args = args[0], args[1:]
	}
	if err := parseFlags(fs, reportSynopsis, args, stdout); err != nil {
		return err
	}
	if dir == "" && fs.NArg() == 1 {
		dir = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return usageErrorf("unexpected arguments %q: give one output folder of `ecco batch` (run 'ecco report -h')", fs.Args())
	}
	switch {
	case dir == "":
		return usageErrorf("no folder given: ecco report DIR, DIR the -out folder of `ecco batch` (run 'ecco report -h')")
	case *html == "" && !*asJSON:
		return usageErrorf("nothing to write: give -html FILE, -json or both (run 'ecco report -h')")
	case *top < 1 || *factors < 1 || *maxPos < 1:
		return usageErrorf("-top, -factors and -max-positions must be at least 1")
	}
	rep, err := batchreport.Build(dir, &batchreport.Options{TopTokens: *top, Factors: *factors, MaxFactorPositions: *maxPos})
	if err != nil {
		return err
	}
	if *html != "" {
		if err := rep.WriteHTML(*html); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "wrote %s (%d records)\n", *html, rep.Records)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return nil
}
