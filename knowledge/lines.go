package knowledge

import (
	"bufio"
	"io"
	"iter"
	"strings"
)

// LineReader reads a text line by line, for ParseTextLines, so that a
// large file is never held whole. A line ends at "\n" or "\r\n", and, when
// LoneCR is set, at a lone "\r" too (old Mac text; ParseText reads it so).
// Lines come without their line breaks.
type LineReader struct {
	r      *bufio.Reader
	loneCR bool
	err    error
}

// NewLineReader reads lines from r.
func NewLineReader(r io.Reader, loneCR bool) *LineReader {
	return &LineReader{r: bufio.NewReaderSize(r, 64<<10), loneCR: loneCR}
}

// Lines yields the lines; Err tells afterwards whether reading failed.
func (l *LineReader) Lines() iter.Seq[string] {
	return func(yield func(string) bool) {
		for {
			line, err := l.r.ReadString('\n')
			if err != nil && err != io.EOF {
				l.err = err
				return
			}
			eof := err == io.EOF
			if eof && line == "" {
				return
			}
			if s, ok := strings.CutSuffix(line, "\n"); ok {
				line = strings.TrimSuffix(s, "\r")
			}
			if l.loneCR && strings.Contains(line, "\r") {
				for _, part := range strings.Split(line, "\r") {
					if !yield(part) {
						return
					}
				}
			} else if !yield(line) {
				return
			}
			if eof {
				return
			}
		}
	}
}

// Err is the error that stopped reading, nil at the end of the text.
func (l *LineReader) Err() error { return l.err }
