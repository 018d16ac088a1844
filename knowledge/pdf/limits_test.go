package pdf

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wegwijs/wegwijs/knowledge"
)

// fakeTool writes an executable shell script named name into dir.
func fakeTool(t *testing.T, dir, name, script string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+script+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// gone waits a little for the process whose pid is in file to be gone.
func gone(t *testing.T, file string) bool {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("the fake tool did not start: %v", err)
	}
	for _, f := range strings.Fields(string(b)) {
		pid, _ := strconv.Atoi(f)
		for i := 0; ; i++ {
			if err := syscall.Kill(pid, 0); err != nil {
				break
			}
			if i == 100 {
				return false
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	return true
}

// pdftotext ran without a deadline: a PDF that made it hang hung kb sync.
// Every run of a tool now has a deadline; past it the tool and whatever it
// started are killed, and the input is refused (ToolLimit) in Dutch.
func TestHangingToolIsStopped(t *testing.T) {
	requirePoppler(t)
	dir := t.TempDir()
	pids := filepath.Join(dir, "pids")
	e := New()
	e.Timeout = time.Second
	// a tool that hangs, and a child of it that hangs too
	e.PDFToText = fakeTool(t, dir, "pdftotext", "sleep 600 & echo $$ $! > "+pids+"\nwait")
	start := time.Now()
	_, err := e.Extract(context.Background(), input("beleid.pdf"))
	took := time.Since(start)
	ie, ok := knowledge.AsInputError(err)
	if !ok || ie.Problem != knowledge.ToolLimit || !strings.Contains(ie.Detail, "langer dan 1 seconde") {
		t.Fatalf("err = %v, want ToolLimit", err)
	}
	if !strings.Contains(ie.Dutch(), "te veel tijd of geheugen") {
		t.Errorf("message %q", ie.Dutch())
	}
	if took > 10*time.Second {
		t.Errorf("took %v", took)
	}
	if !gone(t, pids) {
		t.Error("the tool or its child still runs")
	}
	// pdfinfo the same
	e = New()
	e.Timeout = time.Second
	e.PDFInfo = fakeTool(t, dir, "pdfinfo", "echo $$ > "+pids+"\nexec sleep 600")
	if _, err := e.Extract(context.Background(), input("beleid.pdf")); err == nil {
		t.Fatal("a hanging pdfinfo gave no error")
	} else if ie, ok := knowledge.AsInputError(err); !ok || ie.Problem != knowledge.ToolLimit {
		t.Errorf("hanging pdfinfo: %v", err)
	}
}

// Every tool runs with a bound on its memory (its address space), so a PDF
// that makes poppler eat memory cannot take the machine.
func TestToolsRunWithAMemoryBound(t *testing.T) {
	requirePoppler(t)
	dir := t.TempDir()
	limits := filepath.Join(dir, "limits")
	e := New()
	e.MaxMemory = 512 << 20
	e.PDFInfo = fakeTool(t, dir, "pdfinfo", "ulimit -v > "+limits+"\nexec pdfinfo \"$@\"")
	if _, err := e.Extract(context.Background(), input("beleid.pdf")); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(limits)
	if kb, err := strconv.Atoi(strings.TrimSpace(string(b))); err != nil || kb != 512<<10 {
		t.Errorf("pdfinfo ran with ulimit -v %q, want %d kB", b, 512<<10)
	}

	// A tool that asks for more fails at once, and the input is refused.
	e.PDFToText = fakeTool(t, dir, "pdftotext", `exec awk 'BEGIN { s = "x"; while (1) s = s s }'`)
	start := time.Now()
	_, err := e.Extract(context.Background(), input("beleid.pdf"))
	if ie, ok := knowledge.AsInputError(err); !ok || ie.Problem != knowledge.ToolLimit || !strings.Contains(ie.Detail, "512 MB") {
		t.Errorf("err = %v, want ToolLimit naming the memory bound", err)
	}
	t.Logf("the memory eater was stopped after %v", time.Since(start))
}

// A PDF whose text passes the text limit (a PDF bomb: compressed page
// streams of endless text) is refused while it is read.
func TestTooMuchText(t *testing.T) {
	requirePoppler(t)
	dir := t.TempDir()
	pids := filepath.Join(dir, "pids")
	e := New()
	e.PDFToText = fakeTool(t, dir, "pdftotext", "echo $$ > "+pids+"\nexec yes 'De mentor belt de ouders.'")
	in := input("beleid.pdf")
	in.MaxText = 1 << 20
	_, err := e.Extract(context.Background(), in)
	if ie, ok := knowledge.AsInputError(err); !ok || ie.Problem != knowledge.TooMuchContent || !strings.Contains(ie.Detail, "meer dan 1 MB tekst") {
		t.Fatalf("err = %v, want TooMuchContent", err)
	}
	if !gone(t, pids) {
		t.Error("pdftotext still runs")
	}
}

// The real tools read a real PDF within the bounds.
func TestRealToolsWithinBounds(t *testing.T) {
	requirePoppler(t)
	e := New()
	e.Timeout, e.MaxMemory = 30*time.Second, 256<<20
	doc, err := e.Extract(context.Background(), input("beleid.pdf"))
	if err != nil || doc.Pages != 3 {
		t.Fatalf("%+v %v", doc, err)
	}
}
