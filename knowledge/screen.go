package knowledge

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"iter"
	"strings"

	"github.com/wegwijs/wegwijs/bot/privacy"
)

// ScreenVersion changes whenever the document check changes. It is part of
// the content hash, so a sync checks a stored document again under a newer
// check (and refuses it then, when it holds pupil data).
const ScreenVersion = "screen-2"

// Screener checks the texts of a document for pupil data; the privacy
// guard (*privacy.Guard) is one.
type Screener interface {
	ScreenDocument(ctx context.Context, parts []privacy.DocumentPart) (privacy.Screening, error)
	// NewDocumentScreen screens a document one part at a time.
	NewDocumentScreen() *privacy.DocumentScreen
}

// screenFields lists the metadata a citation shows (title, publisher,
// region, link) and what the store keeps of its origin (the file name or
// address, the folder).
func screenFields(input Input, source, origin string, meta Meta) []privacy.DocumentPart {
	parts := []privacy.DocumentPart{
		{Where: "de titel", Text: meta.Title},
		{Where: "de uitgever", Text: meta.Publisher},
		{Where: "de regio", Text: meta.Region},
		{Where: "de link", Text: meta.URL},
		{Where: "de bestandsnaam of het adres", Text: input.Name},
	}
	if source != input.Name {
		parts = append(parts, privacy.DocumentPart{Where: "de bestandsnaam of het adres", Text: source})
	}
	if origin != "" {
		parts = append(parts, privacy.DocumentPart{Where: "de map", Text: origin})
	}
	return parts
}

// passagePart is a chunk as the check reads it.
func passagePart(c Chunk) privacy.DocumentPart {
	where := "de tekst"
	if c.PageFrom > 0 {
		where = fmt.Sprintf("de tekst op pagina %d", c.PageFrom)
	}
	return privacy.DocumentPart{Where: where, Heading: strings.Join(c.Heading, " > "), Text: c.Text, Passage: true}
}

// checked is what the check read of a document's chunks: how many, and a
// hash of each (8 bytes, so a large document's list stays small), so that
// the store is given exactly the chunks that were checked (same).
type checked struct {
	sums     []uint64
	headings bool // some chunk has a heading
}

// count is how many chunks were checked.
func (c checked) count() int { return len(c.sums) }

// screen reads the chunks once and refuses a document that holds pupil
// data in any text that would be stored or shown. The refusal names what
// was found and where, never a value, and masks an identifier in the file
// name. A document refused while an earlier version of it is in the
// knowledge base loses that version too: whatever the file held before,
// the knowledge base no longer answers from a file that now holds pupil
// data, and a version stored under an older check leaves with it. A
// document without chunks is refused as having no text.
func (in *Ingester) screen(ctx context.Context, slug string, input Input, source, origin string, meta Meta, doc *Document, chunks iter.Seq2[Chunk, error], stored bool) (checked, error) {
	var d *privacy.DocumentScreen
	if in.Screen != nil {
		d = in.Screen.NewDocumentScreen()
	}
	add := func(p privacy.DocumentPart) error {
		if d == nil {
			return nil
		}
		return d.Add(ctx, p)
	}
	before := completeMeta(meta, doc.Meta, input)
	for _, p := range screenFields(input, source, origin, before) {
		if err := add(p); err != nil {
			return checked{}, err
		}
	}
	var sums []uint64
	headings := false
	for c, err := range chunks {
		if err != nil {
			return checked{}, err
		}
		sums = append(sums, chunkSum(c))
		headings = headings || len(c.Heading) > 0
		if err := add(passagePart(c)); err != nil {
			return checked{}, err
		}
	}
	if len(sums) == 0 {
		return checked{}, &InputError{Name: input.Name, Problem: NoText}
	}
	// a title found while reading (a Markdown file's first heading)
	if after := completeMeta(meta, doc.Meta, input); after.Title != before.Title {
		if err := add(privacy.DocumentPart{Where: "de titel", Text: after.Title}); err != nil {
			return checked{}, err
		}
	}
	if d != nil {
		if s := d.Result(); s.Refused() {
			detail := s.Dutch()
			if stored {
				if err := in.Purge(ctx, slug); err != nil {
					return checked{}, fmt.Errorf("remove refused %s: %w", privacy.MaskIdentifiers(slug), err)
				}
				detail += "; de vorige versie is uit de kennisbank gehaald"
			}
			return checked{}, &InputError{Name: privacy.MaskIdentifiers(input.Name), Problem: PupilData, Detail: detail}
		}
	}
	return checked{sums: sums, headings: headings}, nil
}

// same yields the chunks as they are read again, each only when it is the
// one checked: when the file changed in between, it ends in an error
// before the first changed chunk, so nothing unchecked reaches the store.
func (c checked) same(name string, chunks iter.Seq2[Chunk, error]) iter.Seq2[Chunk, error] {
	return func(yield func(Chunk, error) bool) {
		changed := func() { yield(Chunk{}, &InputError{Name: name, Problem: Changed}) }
		i := 0
		for ch, err := range chunks {
			if err != nil {
				yield(Chunk{}, err)
				return
			}
			if i >= len(c.sums) || chunkSum(ch) != c.sums[i] {
				changed()
				return
			}
			i++
			if !yield(ch, nil) {
				return
			}
		}
		if i != len(c.sums) {
			changed()
		}
	}
}

// chunkSum hashes every field of c that is stored, each with its length.
func chunkSum(c Chunk) uint64 {
	var b []byte
	field := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.AppendUvarint(b, uint64(c.Ordinal))
	b = binary.AppendUvarint(b, uint64(c.PageFrom))
	b = binary.AppendUvarint(b, uint64(c.PageTo))
	b = binary.AppendUvarint(b, uint64(len(c.Heading)))
	for _, s := range c.Heading {
		field(s)
	}
	field(c.Context)
	field(c.Text)
	sum := sha256.Sum256(b)
	return binary.BigEndian.Uint64(sum[:8])
}

// titled gives every chunk the document's title as its heading: for a
// document without headings (a web page of paragraphs, a plain note), so
// its passages are cited with a section and searched with the title's
// words as a passage under a heading is.
func titled(chunks iter.Seq2[Chunk, error], title string) iter.Seq2[Chunk, error] {
	return func(yield func(Chunk, error) bool) {
		for c, err := range chunks {
			if err == nil && len(c.Heading) == 0 && title != "" {
				c.Heading = []string{shortenHeading(title)}
			}
			if !yield(c, err) {
				return
			}
		}
	}
}
