package knowledge

import (
	"bufio"
	"bytes"
	"io"
	"iter"
	"strings"
	"unicode/utf8"
)

// LineReader reads a text line by line, for ParseTextLines, so that a
// large file is never held whole. A line ends at "\n" or "\r\n", and, when
// LoneCR is set, at a lone "\r" too (old Mac text; ParseText reads it so).
// Lines come without their line breaks. A line longer than maxBlockBytes
// is cut after its last space before that (between characters when it has
// none), so that one line never holds a large file either.
type LineReader struct {
	r      *bufio.Reader
	loneCR bool
	err    error
	buf    []byte // of the line being read
	ended  bool   // buf holds the rest of a line, up to its "\n" or the end
	endErr error  // what ended it: nil, io.EOF or a read error
}

// NewLineReader reads lines from r.
func NewLineReader(r io.Reader, loneCR bool) *LineReader {
	return &LineReader{r: bufio.NewReaderSize(r, 64<<10), loneCR: loneCR}
}

// Lines yields the lines; Err tells afterwards whether reading failed.
func (l *LineReader) Lines() iter.Seq[string] {
	return func(yield func(string) bool) {
		for {
			line, err := l.readLine()
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

// readLine reads up to and including the next "\n", or maxBlockBytes of a
// longer line.
func (l *LineReader) readLine() (string, error) {
	for {
		body := len(l.buf)
		if l.ended {
			body = len(bytes.TrimSuffix(l.buf, []byte("\n")))
		}
		if body > maxBlockBytes {
			cut := cutPoint(l.buf, maxBlockBytes)
			line := string(l.buf[:cut])
			l.buf = append(l.buf[:0], bytes.TrimLeft(l.buf[cut:], " ")...)
			return line, nil
		}
		if l.ended {
			line, err := string(l.buf), l.endErr
			l.buf, l.ended, l.endErr = l.buf[:0], false, nil
			return line, err
		}
		frag, err := l.r.ReadSlice('\n')
		l.buf = append(l.buf, frag...)
		if err != bufio.ErrBufferFull {
			l.ended, l.endErr = true, err
		}
	}
}

// cutPoint is where to cut b, a line longer than max bytes: after its
// last space within max, or else at max, moved back to the start of a
// character.
func cutPoint(b []byte, max int) int {
	if i := bytes.LastIndexByte(b[:max], ' '); i > 0 {
		return i
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(b[cut]) {
		cut--
	}
	return cut
}
