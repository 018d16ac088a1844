package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/wegwijs/wegwijs/knowledge"
)

// TestRemovedVersionsKeepNoText checks what a version keeps once it is no
// longer active, replaced by a newer one or removed: its number, hash,
// format, page count and timestamps, never its title, publisher, region,
// link, source or folder, which could hold pupil data (issue 16). The
// one exception is the version kept to restore (issue 14), until the
// next replacement or removal, or PurgeShelf. The version history still
// counts on: a document added again after a remove gets the next version
// number.
func TestRemovedVersionsKeepNoText(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	in := ingester(s)
	dir := t.TempDir()
	p := writeFile(t, dir, "rollen.txt", docV1)
	meta := knowledge.Meta{Title: "Rollen bij verzuim", Publisher: "Gemeente Voorbeeld", Region: "Twente", URL: "https://example.nl/rollen"}
	if _, err := in.AddFile(ctx, p, meta); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "rollen.txt", docV2)
	if res, err := in.AddFile(ctx, p, meta); err != nil || res.Version != 2 {
		t.Fatalf("update: %+v %v", res, err)
	}
	leftovers := func(when string, want int) {
		t.Helper()
		rows, err := s.Pool().Query(ctx, `SELECT version, title, publisher, region, url, source, origin, published IS NOT NULL,
				format, content_hash, removed_at IS NOT NULL
			FROM documents WHERE slug = 'rollen' AND NOT active AND NOT restorable ORDER BY version`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			n++
			var version int
			var title, publisher, region, url, source, origin, format, hash string
			var published, removed bool
			if err := rows.Scan(&version, &title, &publisher, &region, &url, &source, &origin, &published, &format, &hash, &removed); err != nil {
				t.Fatal(err)
			}
			for col, v := range map[string]string{"title": title, "publisher": publisher, "region": region, "url": url, "source": source, "origin": origin} {
				if v != "" {
					t.Errorf("%s: inactive version %d keeps its %s %q", when, version, col, v)
				}
			}
			if published {
				t.Errorf("%s: inactive version %d keeps its publication date", when, version)
			}
			if format == "" || hash == "" || !removed {
				t.Errorf("%s: inactive version %d lost its format, hash or removal time", when, version)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Errorf("%s: %d inactive versions, want %d", when, n, want)
		}
	}
	leftovers("after an update", 0) // version 1 is kept to restore
	if err := in.Remove(ctx, "rollen"); err != nil {
		t.Fatal(err)
	}
	leftovers("after remove", 1) // version 2 is kept to restore
	if _, err := s.PurgeShelf(ctx, 0); err != nil {
		t.Fatal(err)
	}
	leftovers("after the shelf's purge", 2)
	if _, err := s.Restore(ctx, "rollen"); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("restore after the shelf's purge: %v, want not found", err)
	}
	res, err := in.AddFile(ctx, p, meta)
	if err != nil || res.Version != 3 {
		t.Fatalf("added again: %+v %v, want version 3", res, err)
	}
	rec, err := s.Document(ctx, "rollen")
	if err != nil || rec.Meta != meta || rec.Source == "" {
		t.Errorf("the active version lost its metadata: %+v %v", rec, err)
	}
}

// TestMigrationPurgesOldVersions: a knowledge base filled before
// migration 009 has inactive versions with their text; the migration
// blanks them and leaves the active ones alone.
func TestMigrationPurgesOldVersions(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	if _, err := s.Pool().Exec(ctx, `INSERT INTO documents (slug, version, active, title, publisher, region, url, published, source, origin, format, content_hash, removed_at)
		VALUES ('oud', 1, false, 'Verslag', 'Uitgever', 'Twente', 'https://example.nl/x', '2024-01-01', '/map/oud.txt', '/map', 'txt', 'h1', now()),
		       ('oud', 2, true, 'Verslag', 'Uitgever', 'Twente', 'https://example.nl/x', '2024-01-01', '/map/oud.txt', '/map', 'txt', 'h2', NULL)`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Pool().Exec(ctx, `DELETE FROM schema_migrations WHERE version = 9`); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var inactive, active string
	if err := s.Pool().QueryRow(ctx, `SELECT
			(SELECT concat_ws('|', title, publisher, region, url, published, source, origin) FROM documents WHERE slug = 'oud' AND NOT active),
			(SELECT concat_ws('|', title, publisher, region, url, published, source, origin) FROM documents WHERE slug = 'oud' AND active)`).Scan(&inactive, &active); err != nil {
		t.Fatal(err)
	}
	if inactive != "|||||" { // six empty texts; the NULL date is skipped
		t.Errorf("inactive version after the migration: %q, want every column blank", inactive)
	}
	if active != "Verslag|Uitgever|Twente|https://example.nl/x|2024-01-01|/map/oud.txt|/map" {
		t.Errorf("active version after the migration: %q", active)
	}
}
