package postgres_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/wegwijs/wegwijs/retrieval"
	"github.com/wegwijs/wegwijs/retrieval/postgres"
	"github.com/wegwijs/wegwijs/retrieval/postgres/pgtest"
)

// hasDutchPorter reports whether the server offers the classic Snowball
// Dutch stemmer under the name dutch_porter (PostgreSQL after 2026).
func hasDutchPorter(t *testing.T, s *postgres.Store) bool {
	t.Helper()
	ctx := context.Background()
	tx, err := s.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	_, err = tx.Exec(ctx, `CREATE TEXT SEARCH DICTIONARY probe_dutch_porter (TEMPLATE = snowball, LANGUAGE = dutch_porter)`)
	var pe *pgconn.PgError
	switch {
	case err == nil:
		return true
	case errors.As(err, &pe) && pe.Code == "42704": // undefined_object: no such stemmer
		return false
	default:
		t.Fatalf("probe dutch_porter: %v", err)
		return false
	}
}

// TestTextSearchConfigIsPinned checks that the store stems with its own
// configuration (migration 005) everywhere: chunks.tsv is generated with
// it and nothing else, its stemmer is the classic Snowball Dutch one, and
// it maps the token types as PostgreSQL's 'dutch' does.
func TestTextSearchConfigIsPinned(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	pool := s.Pool()
	if postgres.TextSearchConfig != "wegwijs_dutch" {
		t.Fatalf("TextSearchConfig = %q", postgres.TextSearchConfig)
	}

	var expr string
	var configs []string
	err := pool.QueryRow(ctx, `SELECT pg_get_expr(d.adbin, d.adrelid),
		       array(SELECT DISTINCT dep.refobjid::regconfig::text FROM pg_depend dep
		             WHERE dep.classid = 'pg_attrdef'::regclass AND dep.objid = d.oid
		               AND dep.refclassid = 'pg_ts_config'::regclass)
		FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
		WHERE d.adrelid = 'chunks'::regclass AND a.attname = 'tsv'`).Scan(&expr, &configs)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(configs, []string{postgres.TextSearchConfig}) || strings.Contains(expr, "'dutch'") {
		t.Errorf("chunks.tsv uses the configurations %v: %s", configs, expr)
	}

	var template, options string
	err = pool.QueryRow(ctx, `SELECT t.tmplname, d.dictinitoption FROM pg_ts_dict d
		JOIN pg_ts_template t ON t.oid = d.dicttemplate
		WHERE d.oid = 'wegwijs_dutch_stem'::regdictionary`).Scan(&template, &options)
	if err != nil {
		t.Fatal(err)
	}
	want := "language = 'dutch', stopwords = 'dutch'"
	if hasDutchPorter(t, s) {
		want = "language = 'dutch_porter', stopwords = 'dutch'"
	}
	if template != "snowball" || options != want {
		t.Errorf("wegwijs_dutch_stem: template %s, options %s; want snowball, %s", template, options, want)
	}

	// Token type by token type: our stemmer where 'dutch' has its own,
	// the same dictionaries elsewhere.
	rows, err := pool.Query(ctx, `SELECT t.alias,
		       coalesce((SELECT string_agg(m.mapdict::regdictionary::text, ',' ORDER BY m.mapseqno) FROM pg_ts_config_map m
		                 WHERE m.mapcfg = $1::regconfig AND m.maptokentype = t.tokid), ''),
		       coalesce((SELECT string_agg(m.mapdict::regdictionary::text, ',' ORDER BY m.mapseqno) FROM pg_ts_config_map m
		                 WHERE m.mapcfg = 'pg_catalog.dutch'::regconfig AND m.maptokentype = t.tokid), '')
		FROM ts_token_type((SELECT cfgparser FROM pg_ts_config WHERE oid = $1::regconfig)) t`, postgres.TextSearchConfig)
	if err != nil {
		t.Fatal(err)
	}
	stemmed := 0
	for rows.Next() {
		var alias, ours, theirs string
		if err := rows.Scan(&alias, &ours, &theirs); err != nil {
			t.Fatal(err)
		}
		if theirs == "dutch_stem" {
			theirs = "wegwijs_dutch_stem"
		}
		if ours == "wegwijs_dutch_stem" {
			stemmed++
		}
		if ours != theirs {
			t.Errorf("token type %s maps to %q, want %q", alias, ours, theirs)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if stemmed != 6 {
		t.Errorf("%d token types use wegwijs_dutch_stem, want 6 (asciiword, asciihword, hword_asciipart, word, hword, hword_part)", stemmed)
	}
}

// TestMigrationPinsExistingChunks applies migration 005 to a knowledge
// base that already holds chunks under migrations 001-004 (whose tsv used
// PostgreSQL's 'dutch'): the column is generated again with the pinned
// configuration, and the stems view follows it.
func TestMigrationPinsExistingChunks(t *testing.T) {
	dsn := pgtest.DSN(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE TABLE schema_migrations (
		version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		t.Fatal(err)
	}
	old, err := filepath.Glob(filepath.Join("migrations", "00[1-4]_*.sql"))
	if err != nil || len(old) != 4 {
		t.Fatalf("migrations 001-004: %v %v", old, err)
	}
	for i, name := range old {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(ctx, string(b)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := conn.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, i+1, filepath.Base(name)); err != nil {
			t.Fatal(err)
		}
	}
	_, err = conn.Exec(ctx, `INSERT INTO documents (slug, version, active, title, source, format, content_hash)
		VALUES ('rollen', 1, true, 'Rollen', 'rollen.txt', 'txt', 'x');
		INSERT INTO chunks (document_id, ordinal, heading_text, text)
		SELECT id, n, h, x FROM documents, (VALUES
			(0, 'Rol van de leerplichtambtenaar', 'De leerplichtambtenaren bespreken het ongeoorloofde verzuim.'),
			(1, 'Rol van de mentor', 'De mentor belt de ouders.'),
			(2, 'Rol van de zorgcoördinator', 'De zorgcoördinator roept het zorgteam bijeen.')) AS c(n, h, x);
		REFRESH MATERIALIZED VIEW lexicon; REFRESH MATERIALIZED VIEW stems;
		REFRESH MATERIALIZED VIEW corpus_stats; REFRESH MATERIALIZED VIEW postings`)
	if err != nil {
		t.Fatal(err)
	}

	s, err := postgres.Open(ctx, dsn, nil) // applies 005
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, err := s.SchemaVersion(ctx); err != nil || v != postgres.LatestSchema() {
		t.Fatalf("schema version %d %v, want %d", v, err, postgres.LatestSchema())
	}
	var generated string
	err = conn.QueryRow(ctx, `SELECT generation_expression FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = 'chunks' AND column_name = 'tsv'`).Scan(&generated)
	if err != nil || strings.Count(generated, "'wegwijs_dutch'::regconfig") != 3 {
		t.Fatalf("tsv after the migration is generated as %q (%v)", generated, err)
	}
	var same bool
	var tsvs []string
	err = conn.QueryRow(ctx, `SELECT bool_and(tsv = setweight(to_tsvector('wegwijs_dutch', heading_text), 'B') ||
		       setweight(to_tsvector('wegwijs_dutch', text), 'A') || setweight(to_tsvector('wegwijs_dutch', context), 'D')),
		       array_agg(tsv::text)
		FROM chunks`).Scan(&same, &tsvs)
	if err != nil || !same {
		t.Fatalf("tsv after the migration: %v %v", tsvs, err)
	}
	var ndoc int
	if err := conn.QueryRow(ctx, `SELECT ndoc FROM stems WHERE word = 'leerplichtambtenar'`).Scan(&ndoc); err != nil || ndoc != 1 {
		t.Errorf("stems after the migration: ndoc %d, %v", ndoc, err)
	}
	res, err := s.Candidates(ctx, retrieval.Query{Text: "wat doet de leerplichtambtenaar", Lists: []retrieval.List{retrieval.FullText}})
	if ft := res.Lists[retrieval.FullText]; err != nil || len(ft) != 1 || !strings.HasPrefix(ft[0].Text, "De leerplichtambtenaren") {
		t.Errorf("full text after the migration: %+v %v", res.Lists, err)
	}
}
