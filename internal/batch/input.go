// Package batch runs ecco over a JSONL dataset for `ecco batch` and joins shard outputs for
// `ecco merge`: results appended one line per record as they complete, resumable after a kill,
// with bad records set aside in an errors file.
package batch

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// MaxLineBytes bounds one input line: a longer line is a bad record, skipped without being read whole.
const MaxLineBytes = 1 << 20

// Record is one input line: {"id", "prompt"} and, to attribute a given continuation instead of
// generating one, "target"; with "foil", the result also contrasts each generated (or target)
// token with the foil's token at the same step (the foil has one token per step).
type Record struct {
	Line   int     `json:"-"` // 1-based line number in the input file
	ID     string  `json:"id"`
	Prompt string  `json:"prompt"`
	Target *string `json:"target,omitempty"`
	Foil   *string `json:"foil,omitempty"`
}

// RecordError is a record that could not be run: its line, its id when known, and why.
type RecordError struct {
	Line  int    `json:"line"`
	ID    string `json:"id,omitempty"`
	Error string `json:"error"`
}

// scanLines calls fn with each line of r (without its newline), numbered from 1. A line over
// max bytes is skipped to its end and passed as nil with tooLong set.
func scanLines(r io.Reader, max int, fn func(line int, text []byte, tooLong bool) error) error {
	br := bufio.NewReaderSize(r, max+1)
	for n := 1; ; n++ {
		text, err := br.ReadSlice('\n')
		tooLong := false
		for errors.Is(err, bufio.ErrBufferFull) { // drain the rest of an over-long line
			tooLong = true
			_, err = br.ReadSlice('\n')
		}
		if errors.Is(err, io.EOF) && len(text) == 0 && !tooLong {
			return nil
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		text = bytes.TrimRight(text, "\r\n")
		if tooLong {
			text = nil
		}
		if ferr := fn(n, text, tooLong); ferr != nil {
			return ferr
		}
		if err != nil { // io.EOF after a last line without newline
			return nil
		}
	}
}

// parseRecord reads one input line. The returned RecordError is nil for a good record; the
// id is filled in whenever the line names one, so the error can say which record failed.
func parseRecord(line int, text []byte, tooLong bool) (Record, *RecordError) {
	rec := Record{Line: line}
	fail := func(format string, args ...any) (Record, *RecordError) {
		return rec, &RecordError{Line: line, ID: rec.ID, Error: fmt.Sprintf(format, args...)}
	}
	if tooLong {
		return fail("line longer than %d bytes", MaxLineBytes)
	}
	var raw struct {
		ID     *string `json:"id"`
		Prompt *string `json:"prompt"`
		Target *string `json:"target"`
		Foil   *string `json:"foil"`
	}
	if err := json.Unmarshal(text, &raw); err != nil {
		// A line that is not an object of strings may still name its id: report it if so.
		var idOnly struct{ ID string }
		if json.Unmarshal(text, &idOnly) == nil {
			rec.ID = idOnly.ID
		}
		return fail("not a JSON object {\"id\": string, \"prompt\": string[, \"target\": string][, \"foil\": string]}: %v", err)
	}
	if raw.ID != nil {
		rec.ID = *raw.ID
	}
	switch {
	case raw.ID == nil || *raw.ID == "":
		return fail("missing \"id\": every line needs a unique non-empty string id")
	case raw.Prompt == nil || *raw.Prompt == "":
		return fail("missing \"prompt\": want the text to explain")
	case raw.Target != nil && *raw.Target == "":
		return fail("empty \"target\": give the continuation to attribute, or leave the field out to generate")
	case raw.Foil != nil && *raw.Foil == "":
		return fail("empty \"foil\": give the text to contrast with, or leave the field out")
	}
	rec.Prompt, rec.Target, rec.Foil = *raw.Prompt, raw.Target, raw.Foil
	return rec, nil
}
