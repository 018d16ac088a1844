package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/wegwijs/wegwijs/knowledge"
)

// checkSchemaPrefix names the schemas of CheckCopy.
const checkSchemaPrefix = "wegwijs_check_"

// CheckCopy makes a scratch copy of the knowledge base in which a draft
// answers in place of target's live version (target: the draft's own
// document, or the one it is to replace), so that the evaluation questions
// can be put to it before it goes live, through the same search. The copy
// is a schema of its own, filled from the live tables in one snapshot and
// with its search statistics refreshed; it has no HNSW index (its vector
// list scans exactly). done closes it and drops the schema.
func (s *Store) CheckCopy(ctx context.Context, slug string, version int, target string) (*Store, func(), error) {
	var draftID int64
	err := s.pool.QueryRow(ctx, `SELECT id FROM documents WHERE slug = $1 AND version = $2 AND draft`, slug, version).Scan(&draftID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, fmt.Errorf("draft %s@%d: %w", slug, version, knowledge.ErrNotFound)
	}
	if err != nil {
		return nil, nil, s.readErr("check copy", err)
	}
	var src, path string
	if err := s.pool.QueryRow(ctx, `SELECT current_schema(), current_setting('search_path')`).Scan(&src, &path); err != nil {
		return nil, nil, s.readErr("check copy", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := checkSchemaPrefix + hex.EncodeToString(b)
	if _, err := s.pool.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
		return nil, nil, s.readErr("check copy: create schema", err)
	}
	drop := func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		if _, err := s.pool.Exec(ctx, `DROP SCHEMA IF EXISTS `+schema+` CASCADE`); err != nil {
			s.log.Warn("drop the check copy", "schema", schema, "err", err)
		}
	}
	cfg := s.pool.Config()
	cfg.ConnConfig.RuntimeParams["search_path"] = schema + ", " + path // the extensions stay visible
	cfg.MaxConns = 4
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		drop()
		return nil, nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	c := &Store{pool: pool, log: s.log, searches: make(chan struct{}, 1)}
	done := func() { pool.Close(); drop() }
	if _, _, err := c.Migrate(ctx); err != nil {
		done()
		return nil, nil, fmt.Errorf("check copy: %w", err)
	}
	q := func(sql string) string { return fmt.Sprintf(sql, pgx.Identifier{src}.Sanitize()) }
	err = pgx.BeginTxFunc(ctx, pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead}, func(tx pgx.Tx) error {
		for _, step := range []struct {
			sql  string
			args []any
		}{
			{q(`INSERT INTO settings SELECT * FROM %s.settings ON CONFLICT (key) DO UPDATE SET value = excluded.value`), nil},
			{q(`INSERT INTO glossary SELECT * FROM %s.glossary`), nil},
			{q(`INSERT INTO documents SELECT * FROM %s.documents WHERE (active AND slug <> $1) OR id = $2`), []any{target, draftID}},
			{`UPDATE documents SET slug = $1, active = true, draft = false WHERE id = $2`, []any{target, draftID}},
			{q(`INSERT INTO chunks (` + chunkColumns + `) SELECT ` + chunkColumns + ` FROM %s.chunks WHERE document_id IN (SELECT id FROM documents)`), nil},
			{q(`INSERT INTO chunks (` + chunkColumns + `) SELECT ` + chunkColumns + ` FROM %s.chunks_shelf WHERE document_id = $1`), []any{draftID}},
		} {
			if _, err := tx.Exec(ctx, step.sql, step.args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		err = c.Refresh(ctx)
	}
	if err != nil {
		done()
		return nil, nil, s.readErr("check copy", err)
	}
	return c, done, nil
}

// DropCheckCopies drops the schemas of check copies older than age that a
// crash left behind.
func (s *Store) DropCheckCopies(ctx context.Context, age time.Duration) (int, error) {
	// a schema has no creation time; its first migration's is close
	rows, err := s.pool.Query(ctx, `SELECT nspname FROM pg_namespace WHERE nspname LIKE $1`, checkSchemaPrefix+"%")
	if err != nil {
		return 0, s.readErr("check copies", err)
	}
	schemas, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return 0, s.readErr("check copies", err)
	}
	n := 0
	for _, schema := range schemas {
		var old bool
		err := s.pool.QueryRow(ctx, fmt.Sprintf(`SELECT coalesce((SELECT min(applied_at) FROM %s.schema_migrations), now() - interval '100 years')
			< now() - make_interval(secs => $1)`, pgx.Identifier{schema}.Sanitize()), age.Seconds()).Scan(&old)
		if err != nil || !old {
			continue
		}
		if _, err := s.pool.Exec(ctx, `DROP SCHEMA IF EXISTS `+pgx.Identifier{schema}.Sanitize()+` CASCADE`); err != nil {
			return n, s.readErr("drop check copy", err)
		}
		n++
	}
	return n, nil
}
