package batch

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/ecco-go/ecco/ecco"
	"github.com/ecco-go/ecco/internal/jsonl"
)

// maxResultBytes bounds one line of results.jsonl: an Output with activations of a large model
// runs to hundreds of megabytes.
const maxResultBytes = 4 << 30

// resultLine is one line of results.jsonl: {"id": ..., then the Output's saved fields}.
func resultLine(id string, out *ecco.Output) ([]byte, error) {
	var buf bytes.Buffer
	if err := out.WriteJSON(&buf); err != nil {
		return nil, err
	}
	body := buf.Bytes()
	if len(body) < 2 || body[0] != '{' {
		return nil, fmt.Errorf("record %q: the Output did not encode as a JSON object", id)
	}
	idJSON, err := json.Marshal(id)
	if err != nil {
		return nil, err
	}
	line := make([]byte, 0, len(body)+len(idJSON)+7)
	line = append(line, `{"id":`...)
	line = append(line, idJSON...)
	if body[1] != '}' {
		line = append(line, ',')
	}
	return append(line, body[1:]...), nil // body ends with its newline
}

// lineID reads the "id" of a results line, or fails when the line is not a complete JSON object.
func lineID(line []byte) (string, error) {
	var v struct {
		ID *string `json:"id"`
	}
	if err := json.Unmarshal(line, &v); err != nil {
		return "", err
	}
	if v.ID == nil {
		return "", errors.New(`no "id"`)
	}
	return *v.ID, nil
}

// indexedLine is where one complete result line sits in its file.
type indexedLine struct {
	id     string
	offset int64
	length int64 // with the newline
}

// indexResults lists the complete lines of a results file in order. A trailing line without its
// newline is a write cut short by a kill: it is not listed, and end is where it starts. A
// complete line that is not a result is an error naming the file and line.
func indexResults(path string) (lines []indexedLine, end int64, err error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<20)
	for n := 1; ; n++ {
		line, err := jsonl.ReadLine(br, maxResultBytes)
		if errors.Is(err, io.EOF) { // nothing, or a partial last line: both end the file here
			return lines, end, nil
		}
		if err != nil {
			return nil, 0, fmt.Errorf("%s line %d: %w", path, n, err)
		}
		id, err := lineID(line)
		if err != nil {
			return nil, 0, fmt.Errorf("%s line %d is not a result (%v): the file was changed by hand or the disk is damaged; move it away to start over", path, n, err)
		}
		lines = append(lines, indexedLine{id: id, offset: end, length: int64(len(line))})
		end += int64(len(line))
	}
}

// appender appends complete lines to a file and syncs each: a kill leaves at most a partial
// last line, which indexResults drops.
type appender struct {
	f    *os.File
	path string
}

// openAppend opens path for appending after cutting it to size bytes (dropping a partial line).
func openAppend(path string, size int64) (*appender, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := f.Truncate(size); err != nil {
		f.Close()
		return nil, fmt.Errorf("cutting the partial last line of %s: %w", path, err)
	}
	if _, err := f.Seek(size, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	return &appender{f: f, path: path}, nil
}

// write appends one line (ending in a newline) in one write and syncs it to disk.
func (a *appender) write(line []byte) error {
	if _, err := a.f.Write(line); err != nil {
		return fmt.Errorf("writing %s: %w", a.path, err)
	}
	if err := a.f.Sync(); err != nil {
		return fmt.Errorf("syncing %s: %w", a.path, err)
	}
	return nil
}

// writeJSON appends v as one line.
func (a *appender) writeJSON(v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return a.write(append(data, '\n'))
}

func (a *appender) Close() error { return a.f.Close() }
