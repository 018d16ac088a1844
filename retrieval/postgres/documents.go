package postgres

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pgvector/pgvector-go"

	"github.com/wegwijs/wegwijs/knowledge"
)

// documentColumns are what scanRecord reads of a version, before its
// number of chunks.
const documentColumns = `d.slug, d.title, d.publisher, d.region, d.url, d.published, d.source, d.origin,
	d.format, d.pages, d.content_hash, d.version, d.created_at`

const recordColumns = documentColumns + `, (SELECT count(*) FROM chunks c WHERE c.document_id = d.id)`

func scanRecord(row pgx.Row) (knowledge.Record, error) {
	var r knowledge.Record
	var published *time.Time
	err := row.Scan(&r.Slug, &r.Meta.Title, &r.Meta.Publisher, &r.Meta.Region, &r.Meta.URL, &published,
		&r.Source, &r.Origin, &r.Format, &r.Pages, &r.Hash, &r.Version, &r.Updated, &r.Chunks)
	if published != nil {
		r.Meta.Date = *published
	}
	return r, err
}

// Document returns the active version of a document.
func (s *Store) Document(ctx context.Context, slug string) (knowledge.Record, error) {
	r, err := scanRecord(s.pool.QueryRow(ctx, `SELECT `+recordColumns+` FROM documents d WHERE d.slug = $1 AND d.active`, slug))
	if errors.Is(err, pgx.ErrNoRows) {
		return r, fmt.Errorf("%s: %w", slug, knowledge.ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("document %s: %w", slug, err)
	}
	return r, nil
}

// List returns the active documents, by title.
func (s *Store) List(ctx context.Context) ([]knowledge.Record, error) {
	return listRecords(ctx, s.pool)
}

// querier is a pool, a connection or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func listRecords(ctx context.Context, q querier) ([]knowledge.Record, error) {
	rows, err := q.Query(ctx, `SELECT `+recordColumns+` FROM documents d WHERE d.active ORDER BY lower(d.title), d.slug`)
	if err != nil {
		return nil, fmt.Errorf("list documents: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (knowledge.Record, error) { return scanRecord(row) })
}

// Chunks returns the chunks of a document's active version in order.
func (s *Store) Chunks(ctx context.Context, slug string) ([]knowledge.StoredChunk, error) {
	rows, err := s.pool.Query(ctx, `SELECT c.id, c.ordinal, c.heading, c.page_from, c.page_to, c.text
		FROM chunks c JOIN documents d ON d.id = c.document_id
		WHERE d.slug = $1 AND d.active ORDER BY c.ordinal`, slug)
	if err != nil {
		return nil, fmt.Errorf("chunks of %s: %w", slug, err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (knowledge.StoredChunk, error) {
		c := knowledge.StoredChunk{Slug: slug}
		err := row.Scan(&c.ID, &c.Ordinal, &c.Heading, &c.PageFrom, &c.PageTo, &c.Text)
		return c, err
	})
}

// Replace stores a new version of a document and makes it the active one,
// all in one transaction: readers see the old version with its chunks until
// the commit, and the new one with its chunks after it, never a mix. The
// passages are read one at a time while they are copied in, so a large
// document's vectors are never all in memory; an error from passages
// aborts the transaction. Data PostgreSQL refuses (a data exception or a
// limit, such as text too long for its index) is reported as
// knowledge.ErrRejected.
func (s *Store) Replace(ctx context.Context, rec knowledge.Record, passages iter.Seq2[knowledge.Passage, error], embedder string) (knowledge.Record, error) {
	next, stop := iter.Pull2(passages)
	defer stop()
	first, err, more := next()
	if more && err != nil {
		return rec, fmt.Errorf("replace %s: %w", rec.Slug, err)
	}
	dims := len(first.Vector)
	n := 0
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('wegwijs-doc:' || $1))`, rec.Slug); err != nil {
			return err
		}
		if err := useEmbedder(ctx, tx, embedder, dims); err != nil {
			return err
		}
		var id int64
		var published *time.Time
		if !rec.Meta.Date.IsZero() {
			published = &rec.Meta.Date
		}
		if rec.Draft {
			// one draft per document: a newer one takes the place of an older
			if _, err := tx.Exec(ctx, `DELETE FROM documents WHERE slug = $1 AND draft`, rec.Slug); err != nil {
				return err
			}
		}
		err := tx.QueryRow(ctx, `INSERT INTO documents (slug, version, title, publisher, region, url, published,
				source, origin, format, pages, content_hash, draft)
			VALUES ($1, coalesce((SELECT max(version) FROM documents WHERE slug = $1), 0) + 1,
				$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
			RETURNING id, version, created_at`,
			rec.Slug, rec.Meta.Title, rec.Meta.Publisher, rec.Meta.Region, rec.Meta.URL, published,
			rec.Source, rec.Origin, rec.Format, rec.Pages, rec.Hash, rec.Draft).Scan(&id, &rec.Version, &rec.Updated)
		if err != nil {
			return fmt.Errorf("insert document: %w", err)
		}
		pending := more
		row := func() ([]any, error) {
			p := first
			if pending {
				pending = false
			} else {
				var err error
				var ok bool
				if p, err, ok = next(); !ok {
					return nil, nil
				} else if err != nil {
					return nil, err
				}
			}
			if len(p.Vector) != dims {
				return nil, fmt.Errorf("passage %d has a vector of %d dimensions, the first one %d", n, len(p.Vector), dims)
			}
			n++
			heading := p.Heading
			if heading == nil {
				heading = []string{}
			}
			return []any{id, p.Ordinal, heading, strings.Join(heading, " > "), p.PageFrom, p.PageTo, p.Text, p.Context,
				pgvector.NewHalfVector(p.Vector)}, nil
		}
		if !more {
			row = func() ([]any, error) { return nil, nil }
		}
		table := "chunks"
		if rec.Draft {
			table = "chunks_shelf" // a draft answers nothing until it is activated
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{table},
			[]string{"document_id", "ordinal", "heading", "heading_text", "page_from", "page_to", "text", "context", "embedding"},
			pgx.CopyFromFunc(row)); err != nil {
			return fmt.Errorf("copy chunks: %w", err)
		}
		if rec.Draft {
			return nil
		}
		if _, err := keepActiveAsPrevious(ctx, tx, rec.Slug); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE documents SET active = true WHERE id = $1`, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, purgeInactive, rec.Slug); err != nil {
			return fmt.Errorf("purge old versions: %w", err)
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, knowledge.ErrEmbedderMismatch) {
			return rec, err
		}
		if rejected(err) {
			return rec, fmt.Errorf("replace %s: %w: %w", rec.Slug, knowledge.ErrRejected, err)
		}
		return rec, fmt.Errorf("replace %s: %w", rec.Slug, err)
	}
	rec.Chunks = n
	return rec, nil
}

// rejected reports an error of PostgreSQL about the data itself: a data
// exception (class 22, e.g. invalid UTF-8) or a program limit (class 54,
// e.g. a text too long for a tsvector).
func rejected(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (strings.HasPrefix(pe.Code, "22") || strings.HasPrefix(pe.Code, "54"))
}

// useEmbedder checks that the knowledge base's vectors come from this
// embedder, recording it (and building the vector index for its size) the
// first time.
func useEmbedder(ctx context.Context, tx pgx.Tx, name string, dims int) error {
	if _, err := tx.Exec(ctx, `LOCK TABLE settings IN SHARE ROW EXCLUSIVE MODE`); err != nil {
		return err
	}
	var cur string
	err := tx.QueryRow(ctx, `SELECT value FROM settings WHERE key = 'embedder'`).Scan(&cur)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		if dims == 0 {
			return nil
		}
		return setEmbedder(ctx, tx, name, dims)
	case err != nil:
		return err
	case cur != name:
		return fmt.Errorf("%w: the knowledge base holds vectors of %q, configured is %q", knowledge.ErrEmbedderMismatch, cur, name)
	}
	return nil
}

func setEmbedder(ctx context.Context, tx pgx.Tx, name string, dims int) error {
	_, err := tx.Exec(ctx, `INSERT INTO settings (key, value) VALUES ('embedder', $1), ('embedding_dims', $2)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, name, strconv.Itoa(dims))
	if err != nil {
		return err
	}
	// One HNSW index over the vectors, cast to the embedder's size (the
	// column itself has no fixed size, so a new embedder needs no new
	// column, only a re-embedding and this index). The index is partial on
	// that size: a re-embedding builds it in the same transaction that
	// replaced the vectors, and the build also sees the old row versions.
	if _, err := tx.Exec(ctx, `DROP INDEX IF EXISTS chunks_embedding_hnsw`); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, fmt.Sprintf(`CREATE INDEX chunks_embedding_hnsw ON chunks
		USING hnsw ((embedding::halfvec(%[1]d)) halfvec_cosine_ops) WITH (m = %[2]d, ef_construction = %[3]d)
		WHERE vector_dims(embedding) = %[1]d`, dims, hnswM, hnswEfConstruction))
	return err
}

// HNSW build parameters (pgvector's defaults are 16 and 64). Higher values
// build a better graph: on 100,000 chunks of the offline embedder, recall@10
// against exact search was 0.50 with the defaults (ef_search 100), 0.95 with
// m 32 / ef_construction 200 at ef_search 650, 0.951 with m 32 /
// ef_construction 400 at ef_search 500, and 0.958 with m 32 /
// ef_construction 800 at ef_search 450 (as fast as 400/500; the build took
// 9.5 minutes with two workers either way). m 48 / 300 needed fewer steps
// but more work per step: slower at the same recall.
const (
	hnswM              = 32
	hnswEfConstruction = 800
)

// HNSWSettings tells the build parameters of the vector index, and
// whether they are older (lower) than what the store builds now; a
// knowledge base keeps its index until `kb reembed` rebuilds it. m is 0
// when there is no index yet.
func (s *Store) HNSWSettings(ctx context.Context) (m, efConstruction int, outdated bool, err error) {
	var opts []string
	err = s.pool.QueryRow(ctx, `SELECT coalesce(reloptions, '{}') FROM pg_class
		WHERE oid = to_regclass('chunks_embedding_hnsw')`).Scan(&opts)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, 0, false, nil
	}
	if err != nil {
		return 0, 0, false, err
	}
	m, efConstruction = 16, 64 // pgvector's defaults, when the index names none
	for _, o := range opts {
		k, v, _ := strings.Cut(o, "=")
		n, _ := strconv.Atoi(v)
		switch k {
		case "m":
			m = n
		case "ef_construction":
			efConstruction = n
		}
	}
	return m, efConstruction, m < hnswM || efConstruction < hnswEfConstruction, nil
}

// Embedder returns the name and vector size recorded for the knowledge
// base; empty when no document has been added yet.
func (s *Store) Embedder(ctx context.Context) (name string, dims int, err error) {
	rows, err := s.pool.Query(ctx, `SELECT key, value FROM settings WHERE key IN ('embedder', 'embedding_dims')`)
	if err != nil {
		return "", 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return "", 0, err
		}
		if k == "embedder" {
			name = v
		} else {
			dims, _ = strconv.Atoi(v)
		}
	}
	return name, dims, rows.Err()
}

// purgeInactive blanks what the old versions of a document ($1) keep
// beyond their history (slug, version, format, pages, content hash and
// timestamps): a title, publisher, region, link, source or folder could
// hold pupil data. Not touched: the draft, the version kept to restore,
// and a version being stored (not active, never removed).
const purgeInactive = `UPDATE documents
	SET title = '', publisher = '', region = '', url = '', published = NULL, source = '', origin = ''
	WHERE slug = $1 AND NOT active AND NOT draft AND NOT restorable AND removed_at IS NOT NULL
		AND (title <> '' OR publisher <> '' OR region <> '' OR url <> '' OR published IS NOT NULL
			OR source <> '' OR origin <> '')`

// Remove takes a document out: its active version stops answering and is
// kept, shelved, as the version to restore (until the next removal or
// replacement, or PurgeShelf); the one kept before becomes history. One
// transaction.
func (s *Store) Remove(ctx context.Context, slug string) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := lockDoc(ctx, tx, slug); err != nil {
			return err
		}
		ok, err := keepActiveAsPrevious(ctx, tx, slug)
		if err != nil {
			return fmt.Errorf("remove %s: %w", slug, err)
		}
		if !ok {
			return fmt.Errorf("remove %s: %w", slug, knowledge.ErrNotFound)
		}
		return nil
	})
}

// Purge takes a document out for good: its active, draft and restorable
// versions' chunks go and every version keeps only its history. For a
// document that must not stay (pupil data found), and `kb remove --wissen`.
func (s *Store) Purge(ctx context.Context, slug string) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := lockDoc(ctx, tx, slug); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE documents SET active = false, removed_at = coalesce(removed_at, now()) WHERE slug = $1 AND active`, slug)
		if err != nil {
			return fmt.Errorf("purge %s: %w", slug, err)
		}
		var shelved int64
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM documents WHERE slug = $1 AND (draft OR restorable)`, slug).Scan(&shelved); err != nil {
			return fmt.Errorf("purge %s: %w", slug, err)
		}
		if tag.RowsAffected() == 0 && shelved == 0 {
			return fmt.Errorf("purge %s: %w", slug, knowledge.ErrNotFound)
		}
		for _, q := range []string{
			`DELETE FROM chunks WHERE document_id IN (SELECT id FROM documents WHERE slug = $1)`,
			`DELETE FROM documents WHERE slug = $1 AND draft`,
			`DELETE FROM chunks_shelf WHERE document_id IN (SELECT id FROM documents WHERE slug = $1)`,
			`UPDATE documents SET restorable = false WHERE slug = $1`,
			purgeInactive,
		} {
			if _, err := tx.Exec(ctx, q, slug); err != nil {
				return fmt.Errorf("purge %s: %w", slug, err)
			}
		}
		return nil
	})
}

// derivedViews are the materialized views of derived search data, in the
// order they are refreshed.
var derivedViews = []string{"lexicon", "postings", "stems", "corpus_stats"}

// statsLock serialises refreshes (pg_advisory_lock): a refresh that began
// earlier must not commit older contents over a newer one.
const statsLock = 0x77656773 // "wegs"

// Refresh brings the derived search data (the word list for fuzzy
// matching with the chunks of each rare word, the stem frequencies that
// weigh query terms, the number of chunks) up to date with the documents.
// It records the knowledge-base version they were refreshed for
// (stats_state, migration 011) and does nothing when that is the current
// one, so calling it after every run is cheap and repairs what an
// interrupted run left stale. The four views are refreshed in one
// transaction; the version is read before they are, so what is recorded is
// never newer than what they hold.
func (s *Store) Refresh(ctx context.Context) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("refresh: %w: %w", ErrUnavailable, err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, statsLock); err != nil {
		return fmt.Errorf("refresh: lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, statsLock)
	var version, refreshed int64
	if err := conn.QueryRow(ctx, `SELECT k.version, s.version FROM kb_state k, stats_state s`).Scan(&version, &refreshed); err != nil {
		return fmt.Errorf("refresh: %w", err)
	}
	if version == refreshed {
		return nil
	}
	begin := time.Now()
	err = pgx.BeginFunc(ctx, conn.Conn(), func(tx pgx.Tx) error {
		for _, view := range derivedViews {
			if _, err := tx.Exec(ctx, `REFRESH MATERIALIZED VIEW CONCURRENTLY `+view); err != nil {
				return fmt.Errorf("refresh %s: %w", view, err)
			}
		}
		_, err := tx.Exec(ctx, `UPDATE stats_state SET version = $1, refreshed_at = now()`, version)
		return err
	})
	if err != nil {
		return err
	}
	s.log.Info("refreshed search statistics", "version", version, "was", refreshed, "ms", time.Since(begin).Milliseconds())
	return nil
}

// StatsCurrent reports whether the derived search data was refreshed for
// the knowledge base's current version.
func (s *Store) StatsCurrent(ctx context.Context) (bool, error) {
	var current bool
	err := s.pool.QueryRow(ctx, `SELECT k.version = s.version FROM kb_state k, stats_state s`).Scan(&current)
	if err != nil {
		return false, s.readErr("read statistics state", err)
	}
	return current, nil
}

// VerifyStats compares the derived search data with what the documents
// hold now, computed afresh (as costly as a refresh): nil when they agree,
// else an error naming the views that differ. For tests and diagnosis.
func (s *Store) VerifyStats(ctx context.Context) error {
	var bad []string
	for _, view := range derivedViews {
		var def string
		if err := s.pool.QueryRow(ctx, `SELECT pg_get_viewdef($1::regclass)`, view).Scan(&def); err != nil {
			return fmt.Errorf("verify %s: %w", view, err)
		}
		def = strings.TrimSuffix(strings.TrimSpace(def), ";")
		var differ bool
		err := s.pool.QueryRow(ctx, `SELECT EXISTS ((SELECT * FROM `+view+` EXCEPT ALL (`+def+`))
			UNION ALL ((`+def+`) EXCEPT ALL SELECT * FROM `+view+`))`).Scan(&differ)
		if err != nil {
			return fmt.Errorf("verify %s: %w", view, err)
		}
		if differ {
			bad = append(bad, view)
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("derived search data out of date: %s", strings.Join(bad, ", "))
	}
	return nil
}

// TryLock takes the session advisory lock named key on a connection of
// its own, if no one holds it.
func (s *Store) TryLock(ctx context.Context, key string) (unlock func(), ok bool, err error) {
	return s.lock(ctx, key, false)
}

// Lock waits for the session advisory lock named key (as long as ctx
// allows).
func (s *Store) Lock(ctx context.Context, key string) (unlock func(), err error) {
	unlock, _, err = s.lock(ctx, key, true)
	return unlock, err
}

// lock takes the advisory lock, waiting for it or not. The connection is
// held until unlock; a database that goes away releases the lock with it.
func (s *Store) lock(ctx context.Context, key string, wait bool) (func(), bool, error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("lock: %w: %w", ErrUnavailable, err)
	}
	ok := true
	if wait {
		_, err = conn.Exec(ctx, `SELECT pg_advisory_lock(hashtextextended($1, 0))`, key)
	} else {
		err = conn.QueryRow(ctx, `SELECT pg_try_advisory_lock(hashtextextended($1, 0))`, key).Scan(&ok)
	}
	if err != nil {
		conn.Release()
		if IsUnavailable(err) {
			return nil, false, fmt.Errorf("lock: %w: %w", ErrUnavailable, err)
		}
		return nil, false, fmt.Errorf("lock: %w", err)
	}
	if !ok {
		conn.Release()
		return nil, false, nil
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if _, err := conn.Exec(ctx, `SELECT pg_advisory_unlock(hashtextextended($1, 0))`, key); err != nil {
			conn.Conn().Close(ctx) // the session, and so the lock, ends
		}
		conn.Release()
	}, true, nil
}

// SaveGlossary stores the knowledge base's glossary (YAML).
func (s *Store) SaveGlossary(ctx context.Context, body []byte, source string) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO glossary (id, body, source) VALUES (1, $1, $2)
		ON CONFLICT (id) DO UPDATE SET body = excluded.body, source = excluded.source, updated_at = now()`,
		string(body), source)
	if err != nil {
		return fmt.Errorf("save glossary: %w", err)
	}
	return nil
}

// Glossary returns the stored glossary (YAML), or nil when there is none.
func (s *Store) Glossary(ctx context.Context) ([]byte, error) {
	return readGlossary(ctx, s.pool)
}

func readGlossary(ctx context.Context, q querier) ([]byte, error) {
	var body string
	err := q.QueryRow(ctx, `SELECT body FROM glossary WHERE id = 1`).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read glossary: %w", err)
	}
	return []byte(body), nil
}

// Reembed recomputes every chunk's vector with another embedder and
// switches the knowledge base to it: the vectors are computed first, then
// written, recorded and indexed in one transaction, so a search never mixes
// the two models' vectors.
func (s *Store) Reembed(ctx context.Context, emb knowledge.Embedder, batch int, progress knowledge.Progress) (int, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, heading, context, text FROM chunks ORDER BY id`)
	if err != nil {
		return 0, fmt.Errorf("reembed: %w", err)
	}
	type item struct {
		id   int64
		text string
	}
	items, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (item, error) {
		var it item
		var c knowledge.Chunk
		err := row.Scan(&it.id, &c.Heading, &c.Context, &c.Text)
		it.text = knowledge.EmbedText(c)
		return it, err
	})
	if err != nil {
		return 0, fmt.Errorf("reembed: %w", err)
	}
	if batch <= 0 {
		batch = 64
	}
	if progress != nil {
		progress.Start(len(items), "passages")
		defer progress.Finish()
	}
	ids := make([]int64, 0, len(items))
	vecs := make([]pgvector.HalfVector, 0, len(items))
	dims := 0
	for i := 0; i < len(items); i += batch {
		part := items[i:min(i+batch, len(items))]
		texts := make([]string, len(part))
		for j, it := range part {
			texts[j] = it.text
		}
		vs, err := emb.Embed(ctx, texts)
		if err != nil {
			return 0, fmt.Errorf("reembed: %w", err)
		}
		if len(vs) != len(part) {
			return 0, fmt.Errorf("reembed: %d vectors for %d texts", len(vs), len(part))
		}
		for j, v := range vs {
			if dims == 0 {
				dims = len(v)
			}
			ids = append(ids, part[j].id)
			vecs = append(vecs, pgvector.NewHalfVector(v))
		}
		if progress != nil {
			progress.Add(len(part))
		}
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `LOCK TABLE settings IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DROP INDEX IF EXISTS chunks_embedding_hnsw`); err != nil {
			return err
		}
		b := &pgx.Batch{}
		for i := range ids {
			b.Queue(`UPDATE chunks SET embedding = $1 WHERE id = $2`, vecs[i], ids[i])
		}
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}

		if dims == 0 {
			_, err := tx.Exec(ctx, `DELETE FROM settings WHERE key IN ('embedder', 'embedding_dims')`)
			return err
		}
		return setEmbedder(ctx, tx, emb.Name(), dims)
	})
	if err != nil {
		return 0, fmt.Errorf("reembed: %w", err)
	}
	return len(ids), nil
}
