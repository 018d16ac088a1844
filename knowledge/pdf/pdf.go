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
//
// Limits. A PDF can make poppler hang or eat memory, so every run of a
// tool has a deadline (Timeout) and a bound on its address space
// (MaxMemory, setrlimit RLIMIT_AS through util-linux's prlimit, with
// RLIMIT_CPU at the deadline too), runs in its own process group, and is
// killed with everything it started when the deadline passes or wegwijs
// dies. The text read from pdftotext stops at the input's text limit. Each
// limit refuses the input with an *InputError (ToolLimit, TooMuchContent),
// so a sync goes on with the next file.
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
	"syscall"
	"time"

	"github.com/wegwijs/wegwijs/knowledge"
)

// ErrToolMissing is returned (wrapped) when pdftotext or pdfinfo cannot be
// found; it is a fault of the machine, not of the input.
var ErrToolMissing = errors.New("poppler-utils not installed: run scripts/setup-debian.sh")

// Extractor reads PDFs with poppler-utils. Its fields name the programs to
// run and bound them; New sets the programs to the names on PATH.
type Extractor struct {
	PDFToText string
	PDFInfo   string
	// Timeout bounds each run of a tool; 0 means DefaultTimeout.
	Timeout time.Duration
	// MaxMemory bounds each tool's address space in bytes; 0 means
	// DefaultMaxMemory, below 0 no bound. Without prlimit on PATH (Debian's
	// util-linux has it) the tools run without it.
	MaxMemory int64
}

// Default bounds of one tool run. pdftotext reads a 1,000-page PDF in a
// quarter of a second with 25 MB, in an address space of about 100 MB.
const (
	DefaultTimeout   = 2 * time.Minute
	DefaultMaxMemory = 1 << 30
)

func (e *Extractor) timeout() time.Duration {
	if e.Timeout > 0 {
		return e.Timeout
	}
	return DefaultTimeout
}

func (e *Extractor) maxMemory() int64 {
	if e.MaxMemory == 0 {
		return DefaultMaxMemory
	}
	return e.MaxMemory
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

	info, err := e.readInfo(ctx, pdfinfo, in)
	if err != nil {
		return nil, err
	}
	doc := &knowledge.Document{Format: "pdf", Pages: info.pages}
	doc.Meta.Title = info.title

	n, err := e.readPages(ctx, pdftotext, in, func(page int, text string) {
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

// run is one bounded run of a tool (see the package comment); cancel
// releases its deadline. toolCtx tells afterwards whether the deadline
// passed.
func (e *Extractor) command(ctx context.Context, tool string, args ...string) (cmd *exec.Cmd, toolCtx context.Context, cancel context.CancelFunc) {
	toolCtx, cancel = context.WithTimeout(ctx, e.timeout())
	name := tool
	if mem := e.maxMemory(); mem > 0 {
		if prlimit, err := exec.LookPath("prlimit"); err == nil {
			secs := int64(e.timeout()/time.Second) + 1
			args = append([]string{fmt.Sprintf("--as=%d", mem), fmt.Sprintf("--cpu=%d", secs), "--", tool}, args...)
			name = prlimit // it sets the limits on itself and then runs the tool in its place
		}
	}
	cmd = exec.CommandContext(toolCtx, name, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error {
		// the whole process group: what the tool started goes too
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	cmd.WaitDelay = 5 * time.Second
	return cmd, toolCtx, cancel
}

// readInfo runs pdfinfo: it tells corrupt and encrypted files apart before
// any text is read, and gives the title and the page count.
func (e *Extractor) readInfo(ctx context.Context, pdfinfo string, in knowledge.Input) (info, error) {
	var stdout bytes.Buffer
	stderr := &tailBuffer{max: 4096}
	cmd, toolCtx, cancel := e.command(ctx, pdfinfo, "-enc", "UTF-8", in.Path)
	defer cancel()
	cmd.Stdout = &limitedBuffer{buf: &stdout, max: 1 << 20}
	cmd.Stderr = stderr
	if err := cmd.Run(); err != nil {
		return info{}, e.toolError(ctx, toolCtx, in, "pdfinfo", err, stderr.String())
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

// errTextLimit stops reading pdftotext's output at the text limit.
var errTextLimit = errors.New("text over the limit")

// readPages streams pdftotext's output and calls page for every page that
// has text. It holds one page in memory at a time, reads no more than the
// input's text limit, and returns the number of pages seen.
func (e *Extractor) readPages(ctx context.Context, pdftotext string, in knowledge.Input, page func(n int, text string)) (int, error) {
	stderr := &tailBuffer{max: 4096}
	cmd, toolCtx, cancel := e.command(ctx, pdftotext, "-enc", "UTF-8", "-eol", "unix", in.Path, "-")
	defer cancel()
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return 0, fmt.Errorf("extract %s: %w", in.Name, err)
	}
	if err := cmd.Start(); err != nil {
		return 0, fmt.Errorf("extract %s: start pdftotext: %w", in.Name, err)
	}
	limit := in.TextLimit()
	left := limit + 1
	r := bufio.NewReaderSize(readerFunc(func(p []byte) (int, error) {
		if left <= 0 {
			return 0, errTextLimit
		}
		n, err := stdout.Read(p[:min(int64(len(p)), left)])
		left -= int64(n)
		return n, err
	}), 64<<10)
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
	if errors.Is(readErr, errTextLimit) {
		cancel() // kills pdftotext
		_ = cmd.Wait()
		return 0, &knowledge.InputError{Name: in.Name, Problem: knowledge.TooMuchContent,
			Detail: fmt.Sprintf("meer dan %d MB tekst", limit>>20)}
	}
	if readErr != nil {
		// Let pdftotext end; its exit status says more than the read error.
		_, _ = io.Copy(io.Discard, stdout)
	}
	if err := cmd.Wait(); err != nil {
		return 0, e.toolError(ctx, toolCtx, in, "pdftotext", err, stderr.String())
	}
	if readErr != nil {
		return 0, fmt.Errorf("extract %s: read pdftotext output: %w", in.Name, readErr)
	}
	return n, nil
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

// toolError turns a failed poppler run into an error. Poppler's messages
// name PDF syntax problems, never document text, so the last one goes into
// the error for the logs. A run past its deadline, or one that ran out of
// its memory bound, refuses the input (ToolLimit).
func (e *Extractor) toolError(ctx, toolCtx context.Context, in knowledge.Input, tool string, err error, stderr string) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("extract %s: %s: %w", in.Name, tool, ctxErr)
	}
	msg := lastLine(stderr)
	if errors.Is(toolCtx.Err(), context.DeadlineExceeded) {
		return &knowledge.InputError{Name: in.Name, Problem: knowledge.ToolLimit,
			Detail: "het lezen duurde langer dan " + dutchDuration(e.timeout()),
			Err:    fmt.Errorf("%s: past its deadline of %v: %w", tool, e.timeout(), err)}
	}
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) {
		return fmt.Errorf("extract %s: %s: %w", in.Name, tool, err)
	}
	if outOfMemory(stderr) || signaled(exitErr, syscall.SIGXCPU) || e.crashedNearBound(exitErr) {
		return &knowledge.InputError{Name: in.Name, Problem: knowledge.ToolLimit,
			Detail: fmt.Sprintf("het had meer dan %d MB geheugen of te veel rekentijd nodig", e.maxMemory()>>20),
			Err:    fmt.Errorf("%s: %w: %s", tool, err, msg)}
	}
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

// outOfMemory reports the messages of a program that could not get memory:
// poppler ("Out of memory", std::bad_alloc), the shell, the C library.
func outOfMemory(stderr string) bool {
	lower := strings.ToLower(stderr)
	for _, m := range []string{"out of memory", "bad_alloc", "cannot allocate", "memory exhausted"} {
		if strings.Contains(lower, m) {
			return true
		}
	}
	return false
}

// crashedNearBound reports a tool killed by a signal (a program that does
// not check for failed allocations crashes) after it had come close to its
// memory bound: a crash on a broken file happens with little memory.
func (e *Extractor) crashedNearBound(exitErr *exec.ExitError) bool {
	ws, ok := exitErr.Sys().(syscall.WaitStatus)
	ru, ok2 := exitErr.SysUsage().(*syscall.Rusage)
	return ok && ok2 && ws.Signaled() && e.maxMemory() > 0 && ru.Maxrss<<10 >= e.maxMemory()/2
}

func signaled(e *exec.ExitError, sig syscall.Signal) bool {
	ws, ok := e.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == sig
}

// dutchDuration says a duration the way a reader would: "2 minuten",
// "1 seconde".
func dutchDuration(d time.Duration) string {
	switch {
	case d >= time.Minute && d%time.Minute == 0:
		if d == time.Minute {
			return "1 minuut"
		}
		return fmt.Sprintf("%d minuten", d/time.Minute)
	case d == time.Second:
		return "1 seconde"
	}
	return fmt.Sprintf("%d seconden", (d+time.Second/2)/time.Second)
}

// limitedBuffer keeps at most max bytes written to it and drops the rest.
type limitedBuffer struct {
	buf *bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - l.buf.Len(); room > 0 {
		l.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
