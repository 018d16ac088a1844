package main

import (
	"context"

	"github.com/wegwijs/wegwijs/bot/curate"
	"github.com/wegwijs/wegwijs/retrieval/postgres"
)

// draftCheck returns the check of a draft against the evaluation
// questions about its document; nil while there is none.
func (e *env) draftCheck(s *postgres.Store) func(context.Context, curate.Draft) (*curate.Check, error) {
	return nil
}
