// Package knowledgetest writes generated inputs for tests and benchmarks of
// ingestion: long Dutch text, and hostile files (zip bombs of several
// kinds, one-line text, binary junk). Nothing it writes is committed; every
// file is made in the test's own directory. Besides the standard library
// it uses only package knowledge.
package knowledgetest

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"os"
	"runtime/metrics"
	"strings"
	"time"

	"github.com/wegwijs/wegwijs/knowledge"
)

// sentences are the body text of generated documents: Dutch policy prose
// about verzuim, each ending a sentence.
var sentences = []string{
	"Bij zorgwekkend verzuim neemt de school binnen twee dagen contact op met de ouders.",
	"De mentor legt het gesprek vast in het leerlingdossier en bespreekt het in het zorgteam.",
	"De leerplichtambtenaar nodigt de jongere en de ouders uit voor een gesprek wanneer het verzuim oploopt tot zestien uur in vier weken.",
	"Het samenwerkingsverband zoekt samen met de school en de ouders een passende plek.",
	"Geen kind mag langer dan drie maanden thuis zitten zonder passend aanbod.",
	"De jeugdarts kijkt of er een medische reden is voor het verzuim van de leerling.",
	"In het multidisciplinair overleg maken de betrokken professionals afspraken over wie wat doet.",
	"De school meldt ongeoorloofd verzuim via het verzuimregister bij DUO.",
	"De consulent van het samenwerkingsverband denkt mee over een arrangement.",
	"Ouders worden vanaf het begin betrokken bij de aanpak van het verzuim.",
	"Het ondersteuningsteam bespreekt de leerling binnen zes weken opnieuw.",
	"Bij absoluut verzuim is de leerling niet ingeschreven op een school.",
	"De gemeente en het samenwerkingsverband maken afspraken over de thuiszitterstafel.",
	"Een vrijstelling van de leerplicht vraagt de ouder aan bij de leerplichtambtenaar.",
}

var headings = []string{
	"Signaleren", "Bespreken", "Melden", "Begeleiden", "Terugkeer naar school", "Rol van de mentor",
	"Rol van het samenwerkingsverband", "Afspraken met de gemeente",
}

// WriteText writes about size bytes of Dutch text to path, in the shape of
// a plain-text policy document: headings in capitals and in normal case,
// paragraphs of a few sentences, now and then a list. The same size gives
// the same text.
func WriteText(path string, size int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 64<<10)
	cw := &countWriter{w: w}
	r := rand.New(rand.NewPCG(uint64(size), 16))
	for chapter := 1; cw.n < size; chapter++ {
		fmt.Fprintf(cw, "HOOFDSTUK %d: %s\n\n", chapter, strings.ToUpper(headings[r.IntN(len(headings))]))
		for section := 1; section <= 4 && cw.n < size; section++ {
			fmt.Fprintf(cw, "Stap %d.%d: %s\n\n", chapter, section, headings[r.IntN(len(headings))])
			for p := 0; p < 3+r.IntN(4) && cw.n < size; p++ {
				if r.IntN(6) == 0 {
					for range 3 {
						fmt.Fprintf(cw, "• %s\n", sentences[r.IntN(len(sentences))])
					}
					cw.Write([]byte("\n"))
					continue
				}
				n := 2 + r.IntN(5)
				for i := range n {
					if i > 0 {
						cw.Write([]byte(" "))
					}
					cw.Write([]byte(sentences[r.IntN(len(sentences))]))
				}
				cw.Write([]byte("\n\n"))
			}
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// WriteOneLine writes size bytes of words on one line, with no full stop
// and no line break: a sentence that never ends.
func WriteOneLine(path string, size int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 64<<10)
	words := strings.Fields(strings.Join(sentences, " "))
	var n int64
	for i := 0; n < size; i++ {
		word := strings.Trim(words[i%len(words)], ".")
		k, _ := w.WriteString(word + " ")
		n += int64(k)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// WriteJunk writes size random bytes (fixed seed): binary data, such as a
// picture or an executable saved with a .txt name.
func WriteJunk(path string, size int) error {
	r := rand.New(rand.NewPCG(1, uint64(size)))
	b := make([]byte, size)
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	return os.WriteFile(path, b, 0o644)
}

// Member is one file in a generated zip archive.
type Member struct {
	Name string
	// Data is written deflated as it is; or, when Repeat is set, Data
	// repeated Repeat times, written as a deflate stream whose size does
	// not grow with Repeat much (a compression bomb).
	Data   []byte
	Repeat int64
	// ClaimedSize, when set, is the uncompressed size the archive's
	// headers state instead of the true one: a bomb that lies.
	ClaimedSize uint64
	// Stored writes the member without compression.
	Stored bool
}

// WriteZip writes a zip archive (a .docx is one) of the members to path.
func WriteZip(path string, members ...Member) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	for _, m := range members {
		if err := writeMember(zw, m); err != nil {
			f.Close()
			return fmt.Errorf("%s: %w", m.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func writeMember(zw *zip.Writer, m Member) error {
	if m.Repeat == 0 && m.ClaimedSize == 0 {
		method := zip.Deflate
		if m.Stored {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: m.Name, Method: method})
		if err != nil {
			return err
		}
		_, err = w.Write(m.Data)
		return err
	}
	repeat := max(m.Repeat, 1)
	raw, err := repeatedDeflate(m.Data, repeat)
	if err != nil {
		return err
	}
	size := uint64(len(m.Data)) * uint64(repeat)
	crc := crc32.NewIEEE()
	for range repeat {
		crc.Write(m.Data)
	}
	h := &zip.FileHeader{Name: m.Name, Method: zip.Deflate, CRC32: crc.Sum32(),
		CompressedSize64: uint64(len(raw)), UncompressedSize64: size}
	if m.ClaimedSize > 0 {
		h.UncompressedSize64 = m.ClaimedSize
	}
	w, err := zw.CreateRaw(h)
	if err != nil {
		return err
	}
	_, err = w.Write(raw)
	return err
}

// repeatedDeflate returns a raw deflate stream of data repeated n times.
// data is compressed once, flushed to a byte boundary, and that piece is
// repeated: each piece's back references stay inside the piece, so the
// pieces decode the same wherever they stand. An empty final block ends
// the stream.
func repeatedDeflate(data []byte, n int64) ([]byte, error) {
	var piece bytes.Buffer
	fw, err := flate.NewWriter(&piece, flate.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := fw.Write(data); err != nil {
		return nil, err
	}
	if err := fw.Flush(); err != nil {
		return nil, err
	}
	out := bytes.Repeat(piece.Bytes(), int(n))
	return append(out, 0x03, 0x00), nil // final block, fixed Huffman, end of block
}

// The parts of a minimal .docx.
const (
	// DocumentXML is the part holding a .docx's body.
	DocumentXML  = "word/document.xml"
	docxTypes    = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`
	docxDocStart = `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`
	docxDocEnd   = `</w:body></w:document>`
)

// Paragraph is one w:p of document.xml holding text.
func Paragraph(text string) string {
	return `<w:p><w:r><w:t xml:space="preserve">` + text + `</w:t></w:r></w:p>`
}

// WriteDocx writes a minimal valid .docx whose body is the paragraphs.
func WriteDocx(path string, paragraphs ...string) error {
	var body strings.Builder
	for _, p := range paragraphs {
		body.WriteString(Paragraph(p))
	}
	return WriteZip(path,
		Member{Name: "[Content_Types].xml", Data: []byte(docxTypes)},
		Member{Name: DocumentXML, Data: []byte(docxDocStart + body.String() + docxDocEnd)})
}

// DocxBomb writes a .docx whose document.xml expands to about expanded
// bytes of paragraphs from a small file (a deflate bomb: 4 GiB from about
// 4 MB). The archive's headers tell the true size unless lie is set, in
// which case they claim a harmless 10 kB.
func DocxBomb(path string, expanded int64, lie bool) error {
	// One piece of 1 MiB of paragraphs, repeated: the document.xml never
	// closes, which a reader only sees at the very end.
	para := Paragraph("Bij zorgwekkend verzuim belt de mentor de ouders.")
	piece := []byte(strings.Repeat(para, (1<<20)/len(para)))
	head := Member{Name: DocumentXML, Data: piece, Repeat: max(1, expanded/int64(len(piece)))}
	if lie {
		head.ClaimedSize = 10_000
	}
	return WriteZip(path, Member{Name: "[Content_Types].xml", Data: []byte(docxTypes)}, head)
}

// DocxManyMembers writes a .docx with n members besides a valid
// document: a central directory far larger than any real document's.
func DocxManyMembers(path string, n int) error {
	members := []Member{
		{Name: "[Content_Types].xml", Data: []byte(docxTypes)},
		{Name: DocumentXML, Data: []byte(docxDocStart + Paragraph("De mentor belt de ouders op de eerste dag van het verzuim.") + docxDocEnd)},
	}
	for i := range n {
		members = append(members, Member{Name: fmt.Sprintf("word/media/image%d.png", i), Data: []byte("x"), Stored: true})
	}
	return WriteZip(path, members...)
}

// DocxNested writes a .docx whose document.xml is itself a zip archive
// holding a bomb (an archive in an archive: a reader that opens nested
// archives expands it).
func DocxNested(path string, dir string) error {
	inner := dir + "/inner.zip"
	if err := DocxBomb(inner, 1<<30, false); err != nil {
		return err
	}
	b, err := os.ReadFile(inner)
	if err != nil {
		return err
	}
	os.Remove(inner)
	return WriteZip(path,
		Member{Name: "[Content_Types].xml", Data: []byte(docxTypes)},
		Member{Name: DocumentXML, Data: b, Stored: true},
		Member{Name: "word/embeddings/oleObject1.docx", Data: b, Stored: true})
}

// Questions lists the texts of the blocks an extractor marked as the
// questions of question/answer pairs.
func Questions(blocks []knowledge.Block) []string {
	var out []string
	for _, b := range blocks {
		if b.IsQuestion() {
			out = append(out, b.Text)
		}
	}
	return out
}

// SamplePeakHeap records the largest live heap (objects, bytes), sampled
// every 5 ms, into peak until stop is called: the peak memory figure of
// ingestion benchmarks.
func SamplePeakHeap(peak *uint64) (stop func()) {
	done, finished := make(chan struct{}), make(chan struct{})
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		defer close(finished)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			*peak = max(*peak, s[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}
