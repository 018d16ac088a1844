package postgres

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/jackc/pgx/v5"

	"github.com/wegwijs/wegwijs/knowledge"
	"github.com/wegwijs/wegwijs/retrieval"
)

// cache holds what is read often and changes only with the knowledge
// base's version: the catalogue of sources and the parsed glossary. Every
// read checks the version (one indexed row), so several processes on one
// database each see a change at their next question.
type cache struct {
	mu       sync.Mutex
	srcVer   int64 // 0: nothing cached (versions start at 1)
	sources  []knowledge.Record
	glossVer int64               // 0: nothing cached
	glossary *knowledge.Glossary // nil: the version has none
}

// Version is the knowledge base's version: it changes with every document
// version swapped in or removed and with the glossary.
func (s *Store) Version(ctx context.Context) (int64, error) {
	var v int64
	if err := s.pool.QueryRow(ctx, `SELECT version FROM kb_state`).Scan(&v); err != nil {
		return 0, s.readErr("read version", err)
	}
	return v, nil
}

// Sources lists the active documents by title (title, region, URL, date,
// version), cached per knowledge-base version.
func (s *Store) Sources(ctx context.Context) ([]knowledge.Record, error) {
	var out []knowledge.Record
	err := s.atVersion(ctx, func(ctx context.Context, tx pgx.Tx, v int64) error {
		s.cache.mu.Lock()
		if s.cache.srcVer == v {
			out = slices.Clone(s.cache.sources)
			s.cache.mu.Unlock()
			return nil
		}
		s.cache.mu.Unlock()
		recs, err := listRecords(ctx, tx)
		if err != nil {
			return err
		}
		s.cache.mu.Lock()
		s.cache.sources, s.cache.srcVer = recs, v
		s.cache.mu.Unlock()
		out = slices.Clone(recs)
		return nil
	})
	return out, err
}

// ActiveGlossary is the glossary of the active knowledge-base version,
// parsed once per version; nil when the knowledge base has none.
func (s *Store) ActiveGlossary(ctx context.Context) (retrieval.Expander, error) {
	var g *knowledge.Glossary
	err := s.atVersion(ctx, func(ctx context.Context, tx pgx.Tx, v int64) error {
		s.cache.mu.Lock()
		if s.cache.glossVer == v {
			g = s.cache.glossary
			s.cache.mu.Unlock()
			return nil
		}
		s.cache.mu.Unlock()
		body, err := readGlossary(ctx, tx)
		if err != nil {
			return err
		}
		if body != nil {
			if g, err = knowledge.ParseGlossary(body); err != nil {
				return fmt.Errorf("stored glossary: %w", err)
			}
		}
		s.cache.mu.Lock()
		s.cache.glossary, s.cache.glossVer = g, v
		s.cache.mu.Unlock()
		return nil
	})
	if err != nil || g == nil {
		return nil, err // no glossary is a nil Expander, not a nil *Glossary in one
	}
	return g, nil
}

// atVersion runs fn in a read-only snapshot with the version it sees.
func (s *Store) atVersion(ctx context.Context, fn func(context.Context, pgx.Tx, int64) error) error {
	ro := pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead}
	err := pgx.BeginTxFunc(ctx, s.pool, ro, func(tx pgx.Tx) error {
		var v int64
		if err := tx.QueryRow(ctx, `SELECT version FROM kb_state`).Scan(&v); err != nil {
			return err
		}
		return fn(ctx, tx, v)
	})
	return s.readErr("read knowledge base", err)
}

// readErr wraps a read failure, marking an unreachable database.
func (s *Store) readErr(op string, err error) error {
	if err == nil {
		return nil
	}
	if IsUnavailable(err) {
		return fmt.Errorf("%s: %w: %w", op, ErrUnavailable, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}
