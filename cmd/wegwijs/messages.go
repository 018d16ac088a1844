package main

import (
	"context"
	"errors"

	"github.com/wegwijs/wegwijs/bot"
	"github.com/wegwijs/wegwijs/cmd/wegwijs/internal/devdb"
	"github.com/wegwijs/wegwijs/knowledge"
	"github.com/wegwijs/wegwijs/knowledge/pdf"
	"github.com/wegwijs/wegwijs/retrieval/postgres"
)

// userMessage turns an error into Dutch text for the person at the
// terminal. Errors carry no document or question text, so nothing private
// is printed here.
func userMessage(err error) string {
	var se silentError
	if errors.As(err, &se) {
		return ""
	}
	var ue *usageError
	if errors.As(err, &ue) {
		return ue.msg
	}
	if ie, ok := knowledge.AsInputError(err); ok {
		return "Fout: " + ie.Dutch()
	}
	switch {
	case errors.Is(err, pdf.ErrToolMissing):
		return "Fout: het programma om PDF's te lezen (pdftotext) ontbreekt. Voer eerst scripts/setup-debian.sh uit."
	case errors.Is(err, devdb.ErrNoPostgres):
		return "Fout: PostgreSQL met pgvector is niet geïnstalleerd. Voer eerst scripts/setup-debian.sh uit."
	case postgres.IsUnavailable(err):
		return "Fout: de database is niet bereikbaar. Controleer DATABASE_URL, of laat die leeg zodat wegwijs een eigen database start. Zet WEGWIJS_LOG_LEVEL=info voor de technische details."
	case errors.Is(err, knowledge.ErrNotFound):
		return "Fout: dat document staat niet in de kennisbank. Bekijk de lijst met 'wegwijs kb list'."
	case errors.Is(err, knowledge.ErrEmbedderMismatch):
		return "Fout: de kennisbank is gemaakt met een ander embeddingmodel dan nu is ingesteld. Zet de instelling terug, of zet alle passages om met 'wegwijs kb reembed'."
	case errors.Is(err, context.Canceled):
		return "Gestopt."
	case errors.Is(err, bot.ErrGuard):
		return "Fout: de controle op persoonsgegevens werkte niet, dus ik heb niets verwerkt. Probeer het opnieuw; blijft het gebeuren, meld het dan bij de beheerder."
	}
	return "Fout: er ging iets mis. Zet WEGWIJS_LOG_LEVEL=info voor de technische details."
}
