package docx

import (
	"context"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/wegwijs/wegwijs/knowledge"
	"github.com/wegwijs/wegwijs/knowledge/knowledgetest"
)

// peakHeap runs fn and returns the largest live heap seen meanwhile.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	var peak uint64
	stop := knowledgetest.SamplePeakHeap(&peak)
	fn()
	stop()
	return peak
}

// Zip bombs: a few megabytes that unpack to gigabytes. Reading them whole
// ran wegwijs out of memory (a 4 MB file of 4 GiB killed it; 510 kB took
// 1 GB), and the size limit only looked at the packed file. Every member
// is read through a budget (four times the text limit, in all), whatever
// its header claims, and a file with a central directory of more members
// than any document has is refused before it is read.
func TestZipBombsAreRefused(t *testing.T) {
	dir := t.TempDir()
	const limit = 8 << 20 // the text limit of these inputs; the unpacked budget is 32 MB
	tests := []struct {
		name    string
		write   func(path string) error
		problem knowledge.Problem
		detail  string
	}{
		{"deflate bomb", func(p string) error { return knowledgetest.DocxBomb(p, 1<<30, false) }, knowledge.TooMuchContent, "meer dan 32 MB uitgepakt"},
		// archive/zip itself refuses to read past the size a header claims
		{"deflate bomb with a lying header", func(p string) error { return knowledgetest.DocxBomb(p, 1<<30, true) }, knowledge.Corrupt, ""},
		{"huge single member (zip64)", func(p string) error { return knowledgetest.DocxBomb(p, 5<<30, false) }, knowledge.TooMuchContent, "meer dan 32 MB uitgepakt"},
		{"many members", func(p string) error { return knowledgetest.DocxManyMembers(p, 20_000) }, knowledge.TooMuchContent, "meer dan 10000 onderdelen"},
		{"text past the limit", func(p string) error {
			return knowledgetest.DocxBomb(p, 20<<20, false) // 20 MB of XML holds 12 MB of text
		}, knowledge.TooMuchContent, "meer dan 8 MB tekst"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".docx")
			if err := tt.write(p); err != nil {
				t.Fatal(err)
			}
			var err error
			start := time.Now()
			peak := peakHeap(func() {
				_, err = New().Extract(context.Background(), knowledge.Input{Name: p, Path: p, MaxText: limit})
			})
			ie, ok := knowledge.AsInputError(err)
			if !ok || ie.Problem != tt.problem || !strings.Contains(ie.Detail, tt.detail) {
				t.Fatalf("err = %v, want problem %d with %q", err, tt.problem, tt.detail)
			}
			if tt.problem == knowledge.TooMuchContent && !strings.Contains(ie.Dutch(), "te groot als ik het uitpak") {
				t.Errorf("message %q", ie.Dutch())
			}
			t.Logf("%s: refused in %v, peak heap %d MB", tt.name, time.Since(start).Round(time.Millisecond), peak>>20)
			if peak > 160<<20 {
				t.Errorf("peak heap %d MB reading a bomb", peak>>20)
			}
		})
	}
}

// An archive inside the archive is not opened: a document.xml that is a
// zip is not XML, and an embedded document is not read at all.
func TestNestedZipIsNotOpened(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "genest.docx")
	if err := knowledgetest.DocxNested(p, dir); err != nil {
		t.Fatal(err)
	}
	_, err := New().Extract(context.Background(), knowledge.Input{Name: p, Path: p})
	if ie, ok := knowledge.AsInputError(err); !ok || ie.Problem != knowledge.Corrupt {
		t.Fatalf("err = %v, want Corrupt", err)
	}
}

// A document within the limits is read as before.
func TestDocxWithinLimits(t *testing.T) {
	p := filepath.Join(t.TempDir(), "klein.docx")
	if err := knowledgetest.WriteDocx(p, "De mentor belt de ouders.", "De leerplichtambtenaar nodigt de ouders uit."); err != nil {
		t.Fatal(err)
	}
	doc, err := New().Extract(context.Background(), knowledge.Input{Name: p, Path: p, MaxText: 1 << 10})
	if err != nil || len(doc.Blocks) != 2 || doc.Blocks[1].Text != "De leerplichtambtenaar nodigt de ouders uit." {
		t.Fatalf("%+v %v", doc, err)
	}
}
