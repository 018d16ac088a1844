// Package docx owns reading text and structure from Word (.docx) files with
// archive/zip and encoding/xml only. It turns the main document into
// knowledge.Heading and knowledge.Paragraph blocks in reading order and
// appends the footnotes and endnotes; it does not read headers, footers or
// comments, and it does no text clean-up beyond joining white space.
//
// Headings come from paragraph styles, resolved through word/styles.xml by
// style name ("heading 1".."heading 9" and "Title", case-insensitive; the
// style IDs are localised, e.g. "Kop1") or by outline level (w:outlineLvl on
// the paragraph or its style chain). A "Title" paragraph is a level 1
// heading. List items are paragraphs; a table row is one paragraph with its
// cells joined by " | ". Tables of contents (styles "toc N", "TOC Heading")
// are left out. Tracked deletions and moved-away text are dropped.
//
// Pages. DOCX stores no page layout, so Pages is 0 and every Page is 0
// unless the file holds page hints:
//   - When Word saved the file it writes w:lastRenderedPageBreak where its
//     layout broke pages; those are used when present, and then the page
//     numbers match what Word showed at the time of saving.
//   - Otherwise hard breaks (w:br w:type="page", w:pageBreakBefore, and
//     section breaks that start a new page) are counted. Pages that fill up
//     and flow over are not seen then, so a Page is a lower bound: the true
//     page is that or later. LibreOffice writes such files; pandoc writes
//     no hints at all.
//
// A block's Page is the page on which its first text stands; a footnote
// gets the page of its reference.
//
// Limits. A .docx is a zip archive, and a small one can unpack to
// gigabytes (a zip bomb). The parts read (styles, the document, the notes,
// the core properties) are read through one budget of unpacked bytes, four
// times the input's text limit (knowledge.Input.TextLimit), counted as
// they are read, whatever the archive's headers claim; the text taken
// from them may not pass the text limit itself; and an archive whose
// directory lists more than maxMembers members is refused before it is
// read. Past a limit Extract stops and returns an *InputError with
// knowledge.TooMuchContent. Archives inside the archive (embedded
// documents) are never opened.
package docx

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/wegwijs/wegwijs/knowledge"
)

// Extractor reads .docx files. It has no settings; the zero value works.
type Extractor struct{}

// maxMembers is the most members an archive may list: a long report with
// many pictures has a few hundred.
const maxMembers = 10_000

// unpackFactor is how many unpacked bytes of XML the budget allows per
// byte of the text limit: markup is a few times the text it holds.
const unpackFactor = 4

// errUnpacked and errTextLimit stop the reading of a part at a limit.
var (
	errUnpacked  = errors.New("unpacked size over the budget")
	errTextLimit = errors.New("text over the limit")
)

// budget counts the unpacked bytes read from the archive.
type budget struct{ left int64 }

// reader reads r, taking what it reads from the budget; past it, it
// fails with errUnpacked.
func (b *budget) reader(r io.Reader) io.Reader {
	return readerFunc(func(p []byte) (int, error) {
		if b.left < 0 {
			return 0, errUnpacked
		}
		if int64(len(p)) > b.left+1 {
			p = p[:b.left+1]
		}
		n, err := r.Read(p)
		b.left -= int64(n)
		if b.left < 0 {
			return n, errUnpacked
		}
		return n, err
	})
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

// New returns an Extractor.
func New() *Extractor { return &Extractor{} }

var (
	oleMagic         = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	encryptedPackage = utf16le("EncryptedPackage")
)

// Extract reads in.Path as a DOCX file.
func (e *Extractor) Extract(ctx context.Context, in knowledge.Input) (*knowledge.Document, error) {
	f, err := os.Open(in.Path)
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w", in.Name, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w", in.Name, err)
	}
	if fi.Size() == 0 {
		return nil, &knowledge.InputError{Name: in.Name, Problem: knowledge.Empty}
	}

	// Password-protected Office files are not zips but OLE compound files
	// that hold an EncryptedPackage stream; so are old binary .doc files.
	head := make([]byte, len(oleMagic))
	if _, err := io.ReadFull(f, head); err == nil && bytes.Equal(head, oleMagic) {
		found, err := contains(f, encryptedPackage)
		if err != nil {
			return nil, fmt.Errorf("extract %s: %w", in.Name, err)
		}
		if found {
			return nil, &knowledge.InputError{Name: in.Name, Problem: knowledge.Encrypted}
		}
		return nil, &knowledge.InputError{Name: in.Name, Problem: knowledge.Unsupported,
			Detail: "oud Word-formaat (.doc); sla het op als .docx"}
	}

	limit := in.TextLimit()
	tooMuch := func(detail string) error {
		return &knowledge.InputError{Name: in.Name, Problem: knowledge.TooMuchContent, Detail: detail}
	}
	if n, ok := zipEntries(f, fi.Size()); ok && n > maxMembers {
		return nil, tooMuch(fmt.Sprintf("het is een archief met meer dan %d onderdelen", maxMembers))
	}
	zr, err := zip.NewReader(f, fi.Size())
	if err != nil {
		return nil, &knowledge.InputError{Name: in.Name, Problem: knowledge.Corrupt, Err: err}
	}
	if len(zr.File) > maxMembers {
		return nil, tooMuch(fmt.Sprintf("het is een archief met meer dan %d onderdelen", maxMembers))
	}
	b := &budget{left: unpackFactor * limit}
	unpacked := tooMuch(fmt.Sprintf("meer dan %d MB uitgepakt", unpackFactor*limit>>20))
	decode := func(ctx context.Context, zf *zip.File, fn func(*xml.Decoder, xml.Token) error) error {
		if zf.UncompressedSize64 > uint64(max(b.left, 0)) {
			return errUnpacked // what the header says is already too much
		}
		return decode(ctx, b.reader, zf, fn)
	}
	parts := make(map[string]*zip.File, len(zr.File))
	for _, zf := range zr.File {
		parts[zf.Name] = zf
	}
	if parts["word/document.xml"] == nil {
		return nil, &knowledge.InputError{Name: in.Name, Problem: knowledge.Corrupt,
			Detail: "word/document.xml ontbreekt"}
	}
	corrupt := func(part string, err error) error {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return fmt.Errorf("extract %s: %w", in.Name, ctxErr)
		}
		switch {
		case errors.Is(err, errUnpacked):
			return unpacked
		case errors.Is(err, errTextLimit):
			return tooMuch(fmt.Sprintf("meer dan %d MB tekst", limit>>20))
		}
		return &knowledge.InputError{Name: in.Name, Problem: knowledge.Corrupt,
			Err: fmt.Errorf("%s: %w", part, err)}
	}

	st := styles{}
	if zf := parts["word/styles.xml"]; zf != nil {
		if err := decode(ctx, zf, st.token); err != nil {
			return nil, corrupt(zf.Name, err)
		}
	}
	w := &walker{styles: st, noteRefs: map[string]pageAt{}, textLeft: limit}
	if err := decode(ctx, parts["word/document.xml"], w.token); err != nil {
		return nil, corrupt("word/document.xml", err)
	}
	for _, name := range []string{"word/footnotes.xml", "word/endnotes.xml"} {
		if zf := parts[name]; zf != nil {
			n := &notes{refs: w.noteRefs, textLeft: &w.textLeft}
			if err := decode(ctx, zf, n.token); err != nil {
				return nil, corrupt(name, err)
			}
			w.out = append(w.out, n.out...)
		}
	}

	doc := &knowledge.Document{Format: "docx"}
	if zf := parts["docProps/core.xml"]; zf != nil && zf.UncompressedSize64 < 1<<20 {
		// A broken core.xml loses the title, not the document.
		_ = decode(ctx, zf, func(d *xml.Decoder, t xml.Token) error {
			if s, ok := t.(xml.StartElement); ok && s.Name.Local == "title" && doc.Meta.Title == "" {
				var v string
				if err := d.DecodeElement(&v, &s); err != nil {
					return err
				}
				doc.Meta.Title = squash(v)
			}
			return nil
		})
	}
	if doc.Meta.Title == "" {
		doc.Meta.Title = w.title
	}

	pageOf := func(pageAt) int { return 0 }
	switch {
	case w.rendered > 0:
		doc.Pages = w.rendered + 1
		pageOf = func(p pageAt) int { return p.rendered + 1 }
	case w.explicit > 0:
		doc.Pages = w.explicit + 1
		pageOf = func(p pageAt) int { return p.explicit + 1 }
	}
	for _, b := range w.out {
		b.Page = pageOf(b.at)
		doc.Blocks = append(doc.Blocks, b.Block)
	}
	if len(doc.Blocks) == 0 {
		return nil, &knowledge.InputError{Name: in.Name, Problem: knowledge.NoText}
	}
	return doc, nil
}

// decode streams the XML of one zip part, read through limit, to fn,
// token by token.
func decode(ctx context.Context, limit func(io.Reader) io.Reader, zf *zip.File, fn func(*xml.Decoder, xml.Token) error) error {
	rc, err := zf.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	d := xml.NewDecoder(bufio.NewReader(limit(rc)))
	for i := 0; ; i++ {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		t, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(d, t); err != nil {
			return err
		}
	}
}

// style is what a paragraph style says about headings.
type style struct {
	name    string // lower case
	basedOn string
	outline int // w:outlineLvl + 1; 0 when not set
}

// styles maps style IDs to styles; "" maps to the default paragraph style.
type styles map[string]*style

func (st styles) token(d *xml.Decoder, t xml.Token) error {
	s, ok := t.(xml.StartElement)
	if !ok || s.Name.Local != "style" || attr(s, "type") != "paragraph" {
		return nil
	}
	var raw struct {
		Name    val `xml:"name"`
		BasedOn val `xml:"basedOn"`
		PPr     struct {
			OutlineLvl *val `xml:"outlineLvl"`
		} `xml:"pPr"`
	}
	if err := d.DecodeElement(&raw, &s); err != nil {
		return err
	}
	sty := &style{name: strings.ToLower(strings.TrimSpace(raw.Name.Val)), basedOn: raw.BasedOn.Val}
	if raw.PPr.OutlineLvl != nil {
		if n, err := strconv.Atoi(raw.PPr.OutlineLvl.Val); err == nil {
			sty.outline = n + 1
		}
	}
	st[attr(s, "styleId")] = sty
	if b := attr(s, "default"); b == "1" || b == "true" {
		st[""] = sty
	}
	return nil
}

type val struct {
	Val string `xml:"val,attr"`
}

var headingName = regexp.MustCompile(`^heading ([1-9])$`)

// level returns the heading level of a paragraph style (0 for body text),
// whether it is the Title style, and whether it is part of a table of
// contents.
func (st styles) level(id string) (level int, title, toc bool) {
	s := st[id]
	for hops := 0; s != nil && hops < 16; hops++ {
		switch {
		case s.name == "title":
			return 1, true, false
		case strings.HasPrefix(s.name, "toc "):
			return 0, false, true
		}
		if m := headingName.FindStringSubmatch(s.name); m != nil {
			return int(m[1][0] - '0'), false, false
		}
		if s.outline > 0 {
			if s.outline > 9 { // level 9 (0-based) is "body text"
				return 0, false, false
			}
			return s.outline, false, false
		}
		if s.basedOn == "" {
			break
		}
		s = st[s.basedOn]
	}
	return 0, false, false
}

// pageAt counts the page hints seen before a point in the document.
type pageAt struct{ rendered, explicit int }

// block is a knowledge.Block before its page is known.
type block struct {
	knowledge.Block
	at pageAt
}

// para collects one w:p.
type para struct {
	style      string
	outline    int // direct w:outlineLvl + 1, 0 when not set
	text       strings.Builder
	at         pageAt
	hasText    bool
	breakAfter bool // a section break that starts a new page follows
	bold       int  // bytes of text written in bold runs
	plain      int  // bytes of text written in other runs
}

type table struct {
	cells []string // of the current row
	cell  []string // paragraphs of the current cell
	at    pageAt
	seen  bool // the current row has text
}

// skipped reports whether an element's content is not document text.
func skipped(local string) bool {
	switch local {
	case "del", "moveFrom": // tracked deletions and moves
		return true
	case "instrText", "delInstrText": // field codes
		return true
	case "Fallback": // mc:Fallback repeats mc:Choice
		return true
	case "pPrChange", "rPrChange", "sectPrChange", "tblPrChange": // old formatting
		return true
	}
	return false
}

// walker turns word/document.xml into blocks.
type walker struct {
	styles   styles
	out      []block
	title    string // first Title or heading 1 text
	noteRefs map[string]pageAt

	skip     int   // depth inside a skipped element
	textLeft int64 // bytes of text it may still take (errTextLimit past it)
	paras    []*para
	tables   []*table
	inPPr    int
	inRPr    int
	runBold  bool // the current run is bold (w:b in its w:rPr)
	inText   bool
	rendered int
	explicit int
}

func (w *walker) now() pageAt { return pageAt{w.rendered, w.explicit} }

func (w *walker) token(_ *xml.Decoder, t xml.Token) error {
	if w.textLeft < 0 {
		return errTextLimit
	}
	switch t := t.(type) {
	case xml.StartElement:
		if w.skip > 0 || skipped(t.Name.Local) {
			w.skip++
			return nil
		}
		w.start(t)
	case xml.EndElement:
		if w.skip > 0 {
			w.skip--
			return nil
		}
		w.end(t)
	case xml.CharData:
		if w.skip == 0 && w.inText {
			w.write(string(t))
		}
	}
	return nil
}

func (w *walker) cur() *para {
	if len(w.paras) == 0 {
		return nil
	}
	return w.paras[len(w.paras)-1]
}

func (w *walker) write(s string) {
	p := w.cur()
	if p == nil {
		return
	}
	if !p.hasText && strings.TrimSpace(s) != "" {
		p.hasText = true
		p.at = w.now()
	}
	w.textLeft -= int64(len(s))
	p.text.WriteString(s)
	if n := len(strings.TrimSpace(s)); w.runBold {
		p.bold += n
	} else {
		p.plain += n
	}
}

func (w *walker) start(s xml.StartElement) {
	p := w.cur()
	switch s.Name.Local {
	case "p":
		w.paras = append(w.paras, &para{})
	case "pPr":
		w.inPPr++
	case "r":
		w.runBold = false
	case "rPr":
		w.inRPr++
	case "b":
		if w.inRPr > 0 && w.inPPr == 0 {
			w.runBold = on(s)
		}
	case "pStyle":
		if p != nil && w.inPPr > 0 {
			p.style = attr(s, "val")
		}
	case "outlineLvl":
		if p != nil && w.inPPr > 0 {
			if n, err := strconv.Atoi(attr(s, "val")); err == nil {
				p.outline = n + 1
			}
		}
	case "pageBreakBefore":
		if p != nil && w.inPPr > 0 && on(s) {
			w.explicit++
		}
	case "sectPr":
		// A section break inside a paragraph's properties ends the section
		// after that paragraph; the type is read from its w:type child.
		if p != nil && w.inPPr > 0 {
			p.breakAfter = true
		}
	case "type":
		if v := attr(s, "val"); p != nil && w.inPPr > 0 && (v == "continuous" || v == "nextColumn") {
			p.breakAfter = false
		}
	case "t":
		w.inText = w.inPPr == 0
	case "tab", "cr":
		if w.inPPr == 0 {
			w.write(" ")
		}
	case "br":
		if w.inPPr == 0 {
			if attr(s, "type") == "page" {
				w.explicit++
			}
			w.write(" ")
		}
	case "noBreakHyphen":
		w.write("-")
	case "lastRenderedPageBreak":
		w.rendered++
	case "footnoteReference", "endnoteReference":
		w.noteRefs[s.Name.Local[:len(s.Name.Local)-len("Reference")]+":"+attr(s, "id")] = w.now()
	case "tbl":
		w.tables = append(w.tables, &table{})
	case "tr":
		if len(w.tables) > 0 {
			tb := w.tables[len(w.tables)-1]
			tb.cells, tb.seen = nil, false
		}
	case "tc":
		if len(w.tables) > 0 {
			w.tables[len(w.tables)-1].cell = nil
		}
	}
}

func (w *walker) end(e xml.EndElement) {
	switch e.Name.Local {
	case "pPr":
		w.inPPr--
	case "rPr":
		w.inRPr--
	case "t":
		w.inText = false
	case "p":
		p := w.cur()
		if p == nil {
			return
		}
		w.paras = w.paras[:len(w.paras)-1]
		w.endPara(p)
		if p.breakAfter {
			w.explicit++
		}
	case "tc":
		if tb := w.table(); tb != nil {
			tb.cells = append(tb.cells, strings.Join(tb.cell, " "))
		}
	case "tr":
		tb := w.table()
		if tb == nil || !tb.seen {
			return
		}
		row := strings.Join(tb.cells, " | ")
		if len(w.tables) > 1 { // a nested table's row goes into the outer cell
			w.addToCell(w.tables[len(w.tables)-2], row, tb.at)
			return
		}
		w.out = append(w.out, block{knowledge.Block{Kind: knowledge.Paragraph, Text: row}, tb.at})
	case "tbl":
		if len(w.tables) > 0 {
			w.tables = w.tables[:len(w.tables)-1]
		}
	}
}

func (w *walker) table() *table {
	if len(w.tables) == 0 {
		return nil
	}
	return w.tables[len(w.tables)-1]
}

func (w *walker) addToCell(tb *table, text string, at pageAt) {
	if !tb.seen {
		tb.seen, tb.at = true, at
	}
	tb.cell = append(tb.cell, text)
}

func (w *walker) endPara(p *para) {
	if !p.hasText {
		return
	}
	text := squash(p.text.String())
	if text == "" {
		return
	}
	if tb := w.table(); tb != nil && !w.inOuterPara() {
		w.addToCell(tb, text, p.at)
		return
	}
	level, title, toc := w.styles.level(p.style)
	if toc {
		return
	}
	if p.outline > 0 {
		level, title = p.outline, false
		if level > 9 {
			level = 0
		}
	}
	b := knowledge.Block{Kind: knowledge.Paragraph, Text: text}
	if level == 0 && p.plain == 0 && p.bold > 0 && strings.HasSuffix(text, "?") {
		// a FAQ's question in bold, over its answer
		b.Kind, b.Level = knowledge.Heading, knowledge.QuestionLevel
	}
	if level > 0 {
		b.Kind, b.Level = knowledge.Heading, level
		if w.title == "" && (title || level == 1) {
			w.title = text
		}
	}
	w.out = append(w.out, block{b, p.at})
}

// inOuterPara reports whether the paragraph just ended sits in a text box
// inside another paragraph (which itself may be in a table cell); such text
// is its own block.
func (w *walker) inOuterPara() bool { return len(w.paras) > 0 }

// notes turns word/footnotes.xml or word/endnotes.xml into one paragraph
// per note, with the page of the note's reference.
type notes struct {
	refs     map[string]pageAt
	textLeft *int64 // shared with the walker
	out      []block
	skip     int
	kind     string // "footnote" or "endnote" while inside a note
	id       string
	text     strings.Builder
	inTxt    bool
}

func (n *notes) token(_ *xml.Decoder, t xml.Token) error {
	if *n.textLeft < 0 {
		return errTextLimit
	}
	switch t := t.(type) {
	case xml.StartElement:
		if n.skip > 0 || skipped(t.Name.Local) {
			n.skip++
			return nil
		}
		switch t.Name.Local {
		case "footnote", "endnote":
			if attr(t, "type") != "" && attr(t, "type") != "normal" { // separators
				n.skip++
				return nil
			}
			n.kind, n.id = t.Name.Local, attr(t, "id")
			n.text.Reset()
		case "t":
			n.inTxt = true
		case "tab", "br", "cr":
			n.text.WriteString(" ")
		case "p":
			n.text.WriteString(" ")
		case "noBreakHyphen":
			n.text.WriteString("-")
		}
	case xml.EndElement:
		if n.skip > 0 {
			n.skip--
			return nil
		}
		switch t.Name.Local {
		case "t":
			n.inTxt = false
		case "footnote", "endnote":
			if text := squash(n.text.String()); text != "" {
				n.out = append(n.out, block{knowledge.Block{Kind: knowledge.Paragraph, Text: text}, n.refs[n.kind+":"+n.id]})
			}
			n.kind = ""
		}
	case xml.CharData:
		if n.skip == 0 && n.inTxt && n.kind != "" {
			*n.textLeft -= int64(len(t))
			n.text.Write(t)
		}
	}
	return nil
}

func attr(s xml.StartElement, local string) string {
	for _, a := range s.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// on reads an OOXML on/off property: present means on unless it says off.
func on(s xml.StartElement) bool {
	switch attr(s, "val") {
	case "0", "false", "off":
		return false
	}
	return true
}

// squash joins all white space into single spaces.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

func utf16le(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for _, r := range s {
		b = append(b, byte(r), 0)
	}
	return b
}

// contains reports whether r holds needle, reading it in pieces.
func contains(r io.Reader, needle []byte) (bool, error) {
	buf := make([]byte, 0, 64<<10+len(needle))
	chunk := make([]byte, 64<<10)
	for {
		n, err := r.Read(chunk)
		buf = append(buf, chunk[:n]...)
		if bytes.Contains(buf, needle) {
			return true, nil
		}
		if keep := len(needle) - 1; len(buf) > keep {
			buf = append(buf[:0], buf[len(buf)-keep:]...)
		}
		if errors.Is(err, io.EOF) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
	}
}

// zipEntries reads the number of members from the end of a zip archive
// (the end of central directory record, or its zip64 form), before
// archive/zip reads the whole directory into memory. ok is false when the
// record is not found; archive/zip then says what is wrong.
func zipEntries(r io.ReaderAt, size int64) (n uint64, ok bool) {
	const eocdLen, maxComment = 22, 65535
	tail := min(size, eocdLen+maxComment)
	buf := make([]byte, tail)
	if _, err := r.ReadAt(buf, size-tail); err != nil && !errors.Is(err, io.EOF) {
		return 0, false
	}
	i := bytes.LastIndex(buf, []byte("PK\x05\x06"))
	if i < 0 || len(buf)-i < eocdLen {
		return 0, false
	}
	n = uint64(binary.LittleEndian.Uint16(buf[i+10:]))
	if n != 0xffff {
		return n, true
	}
	// zip64: a locator just before the record gives the offset of the
	// zip64 record, which holds the count.
	if i < 20 || !bytes.Equal(buf[i-20:i-16], []byte("PK\x06\x07")) {
		return n, true
	}
	off := int64(binary.LittleEndian.Uint64(buf[i-20+8:]))
	rec := make([]byte, 56)
	if off < 0 || off > size-56 {
		return 0, false
	}
	if _, err := r.ReadAt(rec, off); err != nil || !bytes.Equal(rec[:4], []byte("PK\x06\x06")) {
		return 0, false
	}
	return binary.LittleEndian.Uint64(rec[32:]), true
}
