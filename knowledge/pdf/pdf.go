// Package pdf owns reading text from PDF files. It runs poppler-utils'
// pdfinfo and pdftotext as separate processes (which isolates crashes on
// untrusted input) and returns one knowledge.Paragraph block per page holding
// the page's raw text as pdftotext prints it. It must not interpret that
// text: headings, hyphenation and running headers are the knowledge
// package's work (knowledge.ParseText, knowledge.StructurePages).
//
// Note that pdftotext's default (reading-order) mode already joins words
// hyphenated at a line end ("verzuims-" / "beleid" becomes
// "verzuimsbeleid") within a text block.
package pdf

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"github.com/wegwijs/wegwijs/knowledge"
)

// ErrToolMissing is returned (wrapped) when pdftotext or pdfinfo cannot be
// found; it is a fault of the machine, not of the input.
var ErrToolMissing = errors.New("poppler-utils not installed: run scripts/setup-debian.sh")

// Extractor reads PDFs with poppler-utils. Its fields name the programs to
// run; New sets them to the names on PATH.
type Extractor struct {
	PDFToText string
	PDFInfo   string
}

// New returns an Extractor that runs pdftotext and pdfinfo from PATH.
func New() *Extractor {
	return &Extractor{PDFToText: "pdftotext", PDFInfo: "pdfinfo"}
}

// Extract returns the text of in.Path, one Paragraph block per page that has
// text, with Page set to the 1-based page number.
func (e *Extractor) Extract(ctx context.Context, in knowledge.Input) (*knowledge.Document, error) {
	pdftotext, err := exec.LookPath(e.PDFToText)
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w (%w)", in.Name, ErrToolMissing, err)
	}
	pdfinfo, err := exec.LookPath(e.PDFInfo)
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w (%w)", in.Name, ErrToolMissing, err)
	}
	fi, err := os.Stat(in.Path)
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w", in.Name, err)
	}
	if fi.Size() == 0 {
		return nil, &knowledge.InputError{Name: in.Name, Problem: knowledge.Empty}
	}

	info, err := readInfo(ctx, pdfinfo, in)
	if err != nil {
		return nil, err
	}
	doc := &knowledge.Document{Format: "pdf", Pages: info.pages}
	doc.Meta.Title = info.title

	n, err := readPages(ctx, pdftotext, in, func(page int, text string) {
		doc.Blocks = append(doc.Blocks, knowledge.Block{Kind: knowledge.Paragraph, Text: text, Page: page})
	})
	if err != nil {
		return nil, err
	}
	if doc.Pages == 0 {
		doc.Pages = n
	}
	if len(doc.Blocks) == 0 {
		return nil, &knowledge.InputError{Name: in.Name, Problem: knowledge.NoText,
			Detail: fmt.Sprintf("%d pagina's zonder tekst", doc.Pages)}
	}
	return doc, nil
}

type info struct {
	title string
	pages int
}

// readInfo runs pdfinfo: it tells corrupt and encrypted files apart before
// any text is read, and gives the title and the page count.
func readInfo(ctx context.Context, pdfinfo string, in knowledge.Input) (info, error) {
	var stdout bytes.Buffer
	stderr := &tailBuffer{max: 4096}
	cmd := exec.CommandContext(ctx, pdfinfo, "-enc", "UTF-8", in.Path)
	cmd.Stdout = &stdout
	cmd.Stderr = stderr
	if err := cmd.Run(); err != nil {
		return info{}, toolError(ctx, in, "pdfinfo", err, stderr.String())
	}
	var out info
	sc := bufio.NewScanner(&stdout)
	for sc.Scan() {
		key, value, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		value = strings.TrimSpace(value)
		switch key {
		case "Title":
			out.title = cleanTitle(value)
		case "Pages":
			out.pages, _ = strconv.Atoi(value)
		}
	}
	return out, nil
}

// cleanTitle drops titles that only name the file the PDF was made from.
func cleanTitle(t string) string {
	t = strings.TrimSpace(strings.TrimPrefix(t, "Microsoft Word - "))
	lower := strings.ToLower(t)
	for _, ext := range []string{".doc", ".docx", ".odt", ".pdf", ".indd", ".rtf"} {
		if strings.HasSuffix(lower, ext) {
			return ""
		}
	}
	return t
}

// readPages streams pdftotext's output and calls page for every page that
// has text. It holds one page in memory at a time and returns the number of
// pages seen.
func readPages(ctx context.Context, pdftotext string, in knowledge.Input, page func(n int, text string)) (int, error) {
	stderr := &tailBuffer{max: 4096}
	cmd := exec.CommandContext(ctx, pdftotext, "-enc", "UTF-8", "-eol", "unix", in.Path, "-")
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return 0, fmt.Errorf("extract %s: %w", in.Name, err)
	}
	if err := cmd.Start(); err != nil {
		return 0, fmt.Errorf("extract %s: start pdftotext: %w", in.Name, err)
	}
	r := bufio.NewReaderSize(stdout, 64<<10)
	n := 0
	var readErr error
	for {
		text, err := r.ReadString('\f')
		if err != nil && err != io.EOF {
			readErr = err
			break
		}
		ended := strings.HasSuffix(text, "\f")
		if ended || strings.TrimSpace(text) != "" {
			n++
			text = strings.ReplaceAll(strings.TrimSuffix(text, "\f"), "\r\n", "\n")
			if strings.TrimSpace(text) != "" {
				page(n, text)
			}
		}
		if err == io.EOF {
			break
		}
	}
	if readErr != nil {
		// Let pdftotext end; its exit status says more than the read error.
		_, _ = io.Copy(io.Discard, r)
	}
	if err := cmd.Wait(); err != nil {
		return 0, toolError(ctx, in, "pdftotext", err, stderr.String())
	}
	if readErr != nil {
		return 0, fmt.Errorf("extract %s: read pdftotext output: %w", in.Name, readErr)
	}
	return n, nil
}

// toolError turns a failed poppler run into an error. Poppler's messages
// name PDF syntax problems, never document text, so the last one goes into
// the error for the logs.
func toolError(ctx context.Context, in knowledge.Input, tool string, err error, stderr string) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("extract %s: %s: %w", in.Name, tool, ctxErr)
	}
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) {
		return fmt.Errorf("extract %s: %s: %w", in.Name, tool, err)
	}
	msg := lastLine(stderr)
	if strings.Contains(stderr, "Incorrect password") {
		return &knowledge.InputError{Name: in.Name, Problem: knowledge.Encrypted,
			Err: fmt.Errorf("%s: %s", tool, msg)}
	}
	return &knowledge.InputError{Name: in.Name, Problem: knowledge.Corrupt,
		Err: fmt.Errorf("%s: %w: %s", tool, err, msg)}
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return s
}

// tailBuffer keeps the last max bytes written to it, so a PDF that makes
// poppler print a warning per object cannot fill memory.
type tailBuffer struct {
	max int
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return string(t.buf) }
