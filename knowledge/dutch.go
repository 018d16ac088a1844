package knowledge

import (
	"fmt"
	"strings"
	"time"
)

// Dutch says in one line what an ingest did with a document, for the
// beleidsmedewerker who asked for it (the command line, a chat command).
func (r Result) Dutch() string {
	switch r.Action {
	case Added:
		return fmt.Sprintf("Toegevoegd: %s (%s) — %s.", r.Slug, r.Name, r.passages())
	case Updated:
		return fmt.Sprintf("Bijgewerkt: %s naar versie %d — %s.", r.Slug, r.Version, r.passages())
	case Unchanged:
		return fmt.Sprintf("Ongewijzigd: %s (versie %d).", r.Slug, r.Version)
	case Removed:
		return fmt.Sprintf("Verwijderd: %s (het bestand staat niet meer in de map).", r.Slug)
	case Skipped:
		return "Overgeslagen: " + r.Note + "."
	}
	if ie, ok := AsInputError(r.Err); ok {
		return "Mislukt: " + ie.Dutch()
	}
	return fmt.Sprintf("Mislukt: %s", r.Name)
}

func (r Result) passages() string {
	s := fmt.Sprintf("%d passages", r.Chunks)
	if r.Pages > 0 {
		s += fmt.Sprintf(", %d pagina's", r.Pages)
	}
	return s
}

// Summary says in one line what a sync did, and how long it took.
func (r Report) Summary(took time.Duration) string {
	s := fmt.Sprintf("Klaar in %.1f s: %d toegevoegd, %d bijgewerkt, %d ongewijzigd, %d verwijderd, %d mislukt.",
		took.Seconds(), r.Count(Added), r.Count(Updated), r.Count(Unchanged), r.Count(Removed), len(r.Failures()))
	if n := r.Count(Skipped); n > 0 {
		s = strings.TrimSuffix(s, ".") + fmt.Sprintf(", %d overgeslagen.", n)
	}
	switch r.Glossary {
	case Added:
		s += " De woordenlijst is toegevoegd."
	case Updated:
		s += " De woordenlijst is bijgewerkt."
	}
	return s
}
