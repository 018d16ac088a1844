package nl

import (
	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/dutch"
)

// Stem returns the Dutch Snowball stem of a lower-case word: the classic
// Snowball Dutch algorithm, which the store's text-search configuration
// pins in PostgreSQL (retrieval/postgres.TextSearchConfig), so that a
// sentence word and the stems PostgreSQL indexed and found in a question
// agree (retrieval/postgres TestStemmerAgreesWithPostgres checks every
// word of the sample). It stems every word, stop words included.
func Stem(w string) string {
	env := snowballstem.NewEnv(w)
	dutch.Stem(env)
	return env.Current()
}
