package knowledge

import (
	"context"
	"fmt"
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
}

// screenParts lists every text of a document that would be stored or
// shown: the metadata a citation shows (title, publisher, region, link),
// what the store keeps of its origin (the file name or address, the
// folder), and each passage with its headings.
func screenParts(input Input, source, origin string, meta Meta, chunks []Chunk) []privacy.DocumentPart {
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
	for _, c := range chunks {
		where := "de tekst"
		if c.PageFrom > 0 {
			where = fmt.Sprintf("de tekst op pagina %d", c.PageFrom)
		}
		parts = append(parts, privacy.DocumentPart{Where: where, Heading: strings.Join(c.Heading, " > "), Text: c.Text, Passage: true})
	}
	return parts
}

// screen refuses a document that holds pupil data in any text that would
// be stored or shown. The refusal names what was found and where, never a
// value, and masks an identifier in the file name. A document refused
// while an earlier version of it is in the knowledge base loses that
// version too: whatever the file held before, the knowledge base no longer
// answers from a file that now holds pupil data, and a version stored
// under an older check leaves with it.
func (in *Ingester) screen(ctx context.Context, slug string, input Input, source, origin string, meta Meta, chunks []Chunk, stored bool) error {
	if in.Screen == nil {
		return nil
	}
	s, err := in.Screen.ScreenDocument(ctx, screenParts(input, source, origin, meta, chunks))
	if err != nil {
		return err
	}
	if !s.Refused() {
		return nil
	}
	detail := s.Dutch()
	if stored {
		if err := in.Purge(ctx, slug); err != nil {
			return fmt.Errorf("remove refused %s: %w", privacy.MaskIdentifiers(slug), err)
		}
		detail += "; de vorige versie is uit de kennisbank gehaald"
	}
	return &InputError{Name: privacy.MaskIdentifiers(input.Name), Problem: PupilData, Detail: detail}
}
