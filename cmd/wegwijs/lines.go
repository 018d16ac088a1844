package main

import (
	"bufio"
	"io"
)

// maxLine is what is kept of one input line; a question is cut much
// shorter by the bot (and it says so).
const maxLine = 64 << 10

// lines reads input line by line, whatever the lines' length: a line
// longer than maxLine keeps its first maxLine bytes, the rest is skipped,
// so one huge line neither stops a batch nor fills the memory.
type lines struct {
	r    *bufio.Reader
	line string
	err  error
}

func newLines(r io.Reader) *lines { return &lines{r: bufio.NewReaderSize(r, maxLine)} }

// Scan reads the next line; false at the end of the input or on an error.
func (l *lines) Scan() bool {
	if l.err != nil {
		return false
	}
	var kept []byte
	for {
		chunk, isPrefix, err := l.r.ReadLine()
		if len(kept) < maxLine {
			kept = append(kept, chunk[:min(len(chunk), maxLine-len(kept))]...)
		}
		if err != nil {
			if err != io.EOF {
				l.err = err
			}
			if len(kept) == 0 {
				return false
			}
			l.line = string(kept)
			return true
		}
		if !isPrefix {
			l.line = string(kept)
			return true
		}
	}
}

func (l *lines) Text() string { return l.line }
func (l *lines) Err() error   { return l.err }
