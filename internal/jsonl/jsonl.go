// Package jsonl reads JSON Lines files written one whole line at a time, such as the results
// of `ecco batch`: each line bounded in size, and a last line without its newline treated as a
// write still going on (or cut by a kill) rather than as data.
package jsonl

import (
	"bufio"
	"errors"
	"fmt"
)

// ReadLine reads up to and including the next newline; io.EOF when none is left before the
// end of the file (whatever bytes came without one are dropped). A line over max bytes is an
// error.
func ReadLine(br *bufio.Reader, max int64) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if int64(len(line)) > max {
			return nil, fmt.Errorf("line longer than %d bytes", max)
		}
		switch {
		case err == nil:
			return line, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		default:
			return nil, err
		}
	}
}
