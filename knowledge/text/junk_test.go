package text

import (
	"context"
	"encoding/binary"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/wegwijs/wegwijs/knowledge"
	"github.com/wegwijs/wegwijs/knowledge/knowledgetest"
)

func extractFile(t *testing.T, p string) (*knowledge.Document, error) {
	t.Helper()
	return New().Extract(context.Background(), knowledge.Input{Name: p, Path: p})
}

// Binary data with a .txt name was read as Latin-1 and stored as mojibake.
// Text that is mostly not text is refused, saying so.
func TestBinaryJunkIsRefused(t *testing.T) {
	dir := t.TempDir()
	for _, size := range []int{200, 100_000} {
		p := filepath.Join(dir, "plaatje.txt")
		if err := knowledgetest.WriteJunk(p, size); err != nil {
			t.Fatal(err)
		}
		_, err := extractFile(t, p)
		ie, ok := knowledge.AsInputError(err)
		if !ok || ie.Problem != knowledge.NotText {
			t.Fatalf("%d bytes of junk: err = %v, want NotText", size, err)
		}
		if !strings.Contains(ie.Dutch(), "lijkt geen tekst te bevatten") {
			t.Errorf("message %q", ie.Dutch())
		}
	}
	// NUL bytes: UTF-16 without a byte order mark, or a program.
	p := filepath.Join(dir, "nul.txt")
	writeFile(t, p, strings.Repeat("d\x00e\x00 \x00", 1000))
	if _, err := extractFile(t, p); err == nil {
		t.Error("text full of NUL bytes was read")
	}
}

// Real text with a stray control character, in Windows-1252 or in UTF-16
// with a byte order mark, is read.
func TestTextEncodings(t *testing.T) {
	dir := t.TempDir()
	body := "Rol van de mentor\n\nDe mentor belt de ouders \x07bij „ongeoorloofd” verzuim; de zorgcoördinator helpt.\n"
	p := filepath.Join(dir, "utf8.txt")
	writeFile(t, p, body)
	if doc, err := extractFile(t, p); err != nil || !strings.Contains(doc.Blocks[len(doc.Blocks)-1].Text, "„ongeoorloofd”") {
		t.Errorf("UTF-8 with a control character: %+v %v", doc, err)
	}
	cp1252 := strings.NewReplacer("„", "\x84", "”", "\x94", "ö", "\xf6").Replace(body)
	p = filepath.Join(dir, "cp1252.txt")
	writeFile(t, p, cp1252)
	if doc, err := extractFile(t, p); err != nil || !strings.Contains(doc.Blocks[len(doc.Blocks)-1].Text, "„ongeoorloofd” verzuim; de zorgcoördinator") {
		t.Errorf("Windows-1252: %+v %v", doc, err)
	}
	for _, order := range []binary.AppendByteOrder{binary.LittleEndian, binary.BigEndian} {
		var b []byte
		b = order.AppendUint16(b, 0xfeff)
		for _, u := range utf16.Encode([]rune(body)) {
			b = order.AppendUint16(b, u)
		}
		p = filepath.Join(dir, "utf16.txt")
		writeFile(t, p, string(b))
		if doc, err := extractFile(t, p); err != nil || !strings.Contains(doc.Blocks[len(doc.Blocks)-1].Text, "zorgcoördinator helpt") {
			t.Errorf("UTF-16 %v: %+v %v", order, doc, err)
		}
	}
}

// The extractor reads no more than its text limit, also when called
// without the ingester's size check.
func TestTextLimit(t *testing.T) {
	p := filepath.Join(t.TempDir(), "groot.txt")
	if err := knowledgetest.WriteText(p, 2<<20); err != nil {
		t.Fatal(err)
	}
	_, err := New().Extract(context.Background(), knowledge.Input{Name: p, Path: p, MaxText: 1 << 20})
	if ie, ok := knowledge.AsInputError(err); !ok || ie.Problem != knowledge.TooLarge {
		t.Errorf("err = %v, want TooLarge", err)
	}
}

// Front matter is read from the first lines: closed by "---" or "...",
// with Windows line ends too; a "---" that is never closed is text.
func TestFrontMatterLines(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "fm.txt")
	writeFile(t, p, "---\r\ntitle: Handreiking\r\nregion: Twente\r\n---\r\nROL VAN DE MENTOR\r\n\r\nDe mentor belt de ouders op de eerste dag.\r\n")
	doc, err := extractFile(t, p)
	if err != nil || doc.Meta.Title != "Handreiking" || doc.Meta.Region != "Twente" || len(doc.Blocks) != 2 {
		t.Errorf("CRLF front matter: %+v %v", doc, err)
	}
	writeFile(t, p, "---\nDe mentor belt de ouders op de eerste dag van het verzuim.\n")
	doc, err = extractFile(t, p)
	if err != nil || doc.Meta.Title != "" || !strings.Contains(doc.Blocks[0].Text, "---") {
		t.Errorf("unclosed: %+v %v", doc, err)
	}
	writeFile(t, p, "---\ntitle: [kapot\n...\nTekst van het document hier.\n")
	if _, err := extractFile(t, p); err == nil {
		t.Error("broken front matter read without an error")
	}
}
