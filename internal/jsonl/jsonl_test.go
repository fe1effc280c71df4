package jsonl

import (
	"bufio"
	"errors"
	"io"
	"strings"
	"testing"
)

// TestReadLine: whole lines come with their newline, across a small buffer; a last line
// without one is io.EOF; an over-long line is an error.
func TestReadLine(t *testing.T) {
	long := strings.Repeat("x", 40)
	br := bufio.NewReaderSize(strings.NewReader("a\n"+long+"\n"+"torn"), 16)
	for _, want := range []string{"a\n", long + "\n"} {
		got, err := ReadLine(br, 100)
		if err != nil || string(got) != want {
			t.Fatalf("ReadLine: %q, %v; want %q", got, err, want)
		}
	}
	if got, err := ReadLine(br, 100); !errors.Is(err, io.EOF) {
		t.Errorf("a last line without newline: %q, %v; want io.EOF", got, err)
	}
	br = bufio.NewReaderSize(strings.NewReader(long+"\n"), 16)
	if _, err := ReadLine(br, 39); err == nil || err.Error() != "line longer than 39 bytes" {
		t.Errorf("over-long line: %v", err)
	}
}
