package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/wegwijs/wegwijs/knowledge"
)

// A document's versions: the active one answers (its chunks in chunks); a
// draft waits to be checked and activated, the previous one to be restored
// (their chunks in chunks_shelf, which no search reads); older versions
// keep only their history.

// recordColumnsShelf are recordColumns for a version whose chunks are on
// the shelf (a draft, the restorable version).
const recordColumnsShelf = documentColumns + `, (SELECT count(*) FROM chunks_shelf c WHERE c.document_id = d.id)`

// chunkColumns are a chunk's stored columns, the same in chunks and on
// the shelf (chunks adds tsv and words, which it computes).
const chunkColumns = `id, document_id, ordinal, heading, heading_text, page_from, page_to, text, context, embedding`

// shelve moves a version's chunks from chunks to the shelf.
const shelve = `WITH moved AS (DELETE FROM chunks WHERE document_id = $1 RETURNING ` + chunkColumns + `)
	INSERT INTO chunks_shelf (` + chunkColumns + `) SELECT * FROM moved`

// unshelve moves a version's chunks from the shelf to chunks (their ids
// kept; tsv and words computed again).
const unshelve = `WITH moved AS (DELETE FROM chunks_shelf WHERE document_id = $1 RETURNING ` + chunkColumns + `)
	INSERT INTO chunks (` + chunkColumns + `) SELECT * FROM moved`

// retirePrevious turns a document's restorable version ($1: slug) into
// history: its shelved chunks go, its metadata is blanked.
func retirePrevious(ctx context.Context, tx pgx.Tx, slug string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM chunks_shelf WHERE document_id IN
		(SELECT id FROM documents WHERE slug = $1 AND restorable)`, slug); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE documents SET restorable = false WHERE slug = $1 AND restorable`, slug); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, purgeInactive, slug)
	return err
}

// keepActiveAsPrevious makes a document's active version ($1: slug) the
// restorable one: it stops answering, its chunks are shelved. The version
// restorable before it becomes history.
func keepActiveAsPrevious(ctx context.Context, tx pgx.Tx, slug string) (bool, error) {
	var id int64
	err := tx.QueryRow(ctx, `SELECT id FROM documents WHERE slug = $1 AND active`, slug).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := retirePrevious(ctx, tx, slug); err != nil {
		return false, err
	}
	if _, err := tx.Exec(ctx, shelve, id); err != nil {
		return false, fmt.Errorf("shelve: %w", err)
	}
	_, err = tx.Exec(ctx, `UPDATE documents SET active = false, restorable = true, removed_at = now() WHERE id = $1`, id)
	return true, err
}

func lockDoc(ctx context.Context, tx pgx.Tx, slug string) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('wegwijs-doc:' || $1))`, slug)
	return err
}

// Draft returns a document's draft (knowledge.ErrNotFound when it has
// none of that version).
func (s *Store) Draft(ctx context.Context, slug string, version int) (knowledge.Record, error) {
	r, err := scanRecord(s.pool.QueryRow(ctx, `SELECT `+recordColumnsShelf+` FROM documents d
		WHERE d.slug = $1 AND d.version = $2 AND d.draft`, slug, version))
	if errors.Is(err, pgx.ErrNoRows) {
		return r, fmt.Errorf("draft %s@%d: %w", slug, version, knowledge.ErrNotFound)
	}
	return r, s.readErr("draft", err)
}

// ActivateDraft makes a draft the answering version, in one transaction:
// the active version becomes the restorable previous one, the draft's
// chunks move to the searched table. A search sees either the old
// version whole or the new one whole.
func (s *Store) ActivateDraft(ctx context.Context, slug string, version int) (knowledge.Record, error) {
	var rec knowledge.Record
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := lockDoc(ctx, tx, slug); err != nil {
			return err
		}
		var id int64
		err := tx.QueryRow(ctx, `SELECT id FROM documents WHERE slug = $1 AND version = $2 AND draft`, slug, version).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("draft %s@%d: %w", slug, version, knowledge.ErrNotFound)
		}
		if err != nil {
			return err
		}
		if _, err := keepActiveAsPrevious(ctx, tx, slug); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, unshelve, id); err != nil {
			return fmt.Errorf("unshelve: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE documents SET draft = false, active = true, created_at = now() WHERE id = $1`, id); err != nil {
			return err
		}
		rec, err = scanRecord(tx.QueryRow(ctx, `SELECT `+recordColumns+` FROM documents d WHERE d.id = $1`, id))
		return err
	})
	if err != nil {
		return rec, fmt.Errorf("activate %s@%d: %w", slug, version, err)
	}
	return rec, s.Refresh(ctx)
}

// CancelDraft drops a draft and its chunks.
func (s *Store) CancelDraft(ctx context.Context, slug string, version int) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM documents WHERE slug = $1 AND version = $2 AND draft`, slug, version)
	if err != nil {
		return s.readErr("cancel draft", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("draft %s@%d: %w", slug, version, knowledge.ErrNotFound)
	}
	return nil
}

// EditDraft corrects a draft's title or region (an empty value keeps it).
func (s *Store) EditDraft(ctx context.Context, slug string, version int, title, region string) (knowledge.Record, error) {
	r, err := scanRecord(s.pool.QueryRow(ctx, `UPDATE documents d SET title = coalesce(nullif($3, ''), title),
			region = coalesce(nullif($4, ''), region)
		WHERE d.slug = $1 AND d.version = $2 AND d.draft RETURNING `+recordColumnsShelf, slug, version, title, region))
	if errors.Is(err, pgx.ErrNoRows) {
		return r, fmt.Errorf("draft %s@%d: %w", slug, version, knowledge.ErrNotFound)
	}
	return r, s.readErr("edit draft", err)
}

// Restore brings a document's previous version back, in one transaction;
// the version that was active becomes the restorable one in its turn (so
// a restore can be undone). knowledge.ErrNotFound: no version to restore.
func (s *Store) Restore(ctx context.Context, slug string) (knowledge.Record, error) {
	var rec knowledge.Record
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := lockDoc(ctx, tx, slug); err != nil {
			return err
		}
		var prev int64
		err := tx.QueryRow(ctx, `SELECT id FROM documents WHERE slug = $1 AND restorable`, slug).Scan(&prev)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("restore %s: %w", slug, knowledge.ErrNotFound)
		}
		if err != nil {
			return err
		}
		// swap: the restorable version leaves the shelf first, so the
		// active one can take its place there
		if _, err := tx.Exec(ctx, `UPDATE documents SET restorable = false WHERE id = $1`, prev); err != nil {
			return err
		}
		var cur int64
		switch err := tx.QueryRow(ctx, `SELECT id FROM documents WHERE slug = $1 AND active`, slug).Scan(&cur); {
		case errors.Is(err, pgx.ErrNoRows):
		case err != nil:
			return err
		default:
			if _, err := tx.Exec(ctx, `UPDATE documents SET active = false WHERE id = $1`, cur); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, shelve, cur); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE documents SET restorable = true, removed_at = now() WHERE id = $1`, cur); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, unshelve, prev); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE documents SET active = true, removed_at = NULL WHERE id = $1`, prev); err != nil {
			return err
		}
		rec, err = scanRecord(tx.QueryRow(ctx, `SELECT `+recordColumns+` FROM documents d WHERE d.id = $1`, prev))
		return err
	})
	if err != nil {
		return rec, err
	}
	return rec, s.Refresh(ctx)
}

// Drafts lists the drafts waiting, oldest first.
func (s *Store) Drafts(ctx context.Context) ([]knowledge.Record, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+recordColumnsShelf+` FROM documents d WHERE d.draft ORDER BY d.created_at`)
	if err != nil {
		return nil, s.readErr("drafts", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (knowledge.Record, error) { return scanRecord(row) })
}

// DraftChunks returns a draft's chunks in order.
func (s *Store) DraftChunks(ctx context.Context, slug string, version int) ([]knowledge.StoredChunk, error) {
	rows, err := s.pool.Query(ctx, `SELECT c.id, c.ordinal, c.heading, c.page_from, c.page_to, c.text
		FROM chunks_shelf c JOIN documents d ON d.id = c.document_id
		WHERE d.slug = $1 AND d.version = $2 AND d.draft ORDER BY c.ordinal`, slug, version)
	if err != nil {
		return nil, s.readErr("draft chunks", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (knowledge.StoredChunk, error) {
		c := knowledge.StoredChunk{Slug: slug}
		err := row.Scan(&c.ID, &c.Ordinal, &c.Heading, &c.PageFrom, &c.PageTo, &c.Text)
		return c, err
	})
}

// PurgeShelf turns restorable versions older than age into history, and
// drops drafts older than age: what a crash or a forgotten draft left.
func (s *Store) PurgeShelf(ctx context.Context, age time.Duration) (int64, error) {
	var n int64
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM documents WHERE draft AND created_at < now() - make_interval(secs => $1)`, age.Seconds())
		if err != nil {
			return err
		}
		n += tag.RowsAffected()
		rows, err := tx.Query(ctx, `SELECT slug FROM documents WHERE restorable AND removed_at < now() - make_interval(secs => $1)`, age.Seconds())
		if err != nil {
			return err
		}
		slugs, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		for _, slug := range slugs {
			if err := retirePrevious(ctx, tx, slug); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, s.readErr("purge shelf", err)
}

// AdoptDraft makes a draft the next version of another document (target):
// a file sent under a new name that is the new edition of a document
// already there. The target's own draft, if any, gives way.
func (s *Store) AdoptDraft(ctx context.Context, slug string, version int, target string) (knowledge.Record, error) {
	var rec knowledge.Record
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		first, second := min(slug, target), max(slug, target) // one order, so two adoptions cannot deadlock
		for _, k := range []string{first, second} {
			if err := lockDoc(ctx, tx, k); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM documents WHERE slug = $1 AND draft AND NOT (slug = $2 AND version = $3)`, target, slug, version); err != nil {
			return err
		}
		var err error
		rec, err = scanRecord(tx.QueryRow(ctx, `UPDATE documents d SET slug = $3,
				version = coalesce((SELECT max(version) FROM documents WHERE slug = $3), 0) + 1
			WHERE d.slug = $1 AND d.version = $2 AND d.draft RETURNING `+recordColumnsShelf, slug, version, target))
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("draft %s@%d: %w", slug, version, knowledge.ErrNotFound)
		}
		return err
	})
	return rec, s.readErr("adopt draft", err)
}
