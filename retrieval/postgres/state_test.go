package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/wegwijs/wegwijs/retrieval/postgres"
	"github.com/wegwijs/wegwijs/retrieval/postgres/pgtest"
)

// A long-running process sees what another process changes, at its next
// read: the version moves with every document and glossary change, and
// the cached catalogue and glossary follow it.
func TestVersionCatalogueAndGlossaryFollowChanges(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	s, err := postgres.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	in := ingester(s)
	dir := t.TempDir()
	writeFile(t, dir, "een.md", "# Een\n\nDe mentor belt de ouders bij verzuim.")
	writeFile(t, dir, "glossary.yaml", "concepts:\n  - id: lpa\n    terms: [leerplichtambtenaar, LPA]\n")
	rep, err := in.Sync(ctx, dir)
	if err != nil || rep.Glossary != "added" {
		t.Fatalf("sync: %v, glossary %q", err, rep.Glossary)
	}
	v1, _ := s.Version(ctx)
	srcs, err := s.Sources(ctx)
	if err != nil || len(srcs) != 1 {
		t.Fatalf("sources %v %v", srcs, err)
	}
	g, err := s.ActiveGlossary(ctx)
	if err != nil || g == nil {
		t.Fatalf("glossary %v %v", g, err)
	}
	if c, ok := g.ConceptOf("LPA"); !ok || c != "lpa" {
		t.Errorf("concept of LPA: %q %v", c, ok)
	}

	// another process changes the knowledge base
	other, err := postgres.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	writeFile(t, dir, "twee.md", "# Twee\n\nDe leerplichtambtenaar doet onderzoek.")
	writeFile(t, dir, "glossary.yaml", "concepts:\n  - id: swv\n    terms: [samenwerkingsverband, SWV]\n")
	if rep, err := ingester(other).Sync(ctx, dir); err != nil || rep.Glossary != "updated" {
		t.Fatalf("second sync: %v %q", err, rep.Glossary)
	}
	v2, _ := s.Version(ctx)
	if v2 <= v1 {
		t.Errorf("version %d after %d", v2, v1)
	}
	if srcs, _ := s.Sources(ctx); len(srcs) != 2 {
		t.Errorf("the first store still lists %d documents", len(srcs))
	}
	g, _ = s.ActiveGlossary(ctx)
	if _, ok := g.ConceptOf("SWV"); !ok {
		t.Error("the first store still has the old glossary")
	}
	if _, ok := g.ConceptOf("LPA"); ok {
		t.Error("the old glossary's concept is still there")
	}

	// an unchanged sync changes nothing, so fingerprints stay
	if rep, err := in.Sync(ctx, dir); err != nil || rep.Glossary != "unchanged" {
		t.Fatalf("third sync: %v %q", err, rep.Glossary)
	}
	if v3, _ := s.Version(ctx); v3 != v2 {
		t.Errorf("an unchanged sync moved the version %d -> %d", v2, v3)
	}
	// removing a document moves it too
	if err := in.Remove(ctx, "twee"); err != nil {
		t.Fatal(err)
	}
	if v4, _ := s.Version(ctx); v4 <= v2 {
		t.Error("a removal did not move the version")
	}
	if srcs, _ := s.Sources(ctx); len(srcs) != 1 {
		t.Errorf("%d documents after a removal", len(srcs))
	}
}

// Claims: the first caller gets an event, every later one not; purging
// forgets old claims.
func TestClaimAndPurge(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	ok, err := s.Claim(ctx, "p", "e1")
	if err != nil || !ok {
		t.Fatalf("first claim %v %v", ok, err)
	}
	if ok, _ := s.Claim(ctx, "p", "e1"); ok {
		t.Error("a second claim of the same event succeeded")
	}
	if ok, _ := s.Claim(ctx, "q", "e1"); !ok {
		t.Error("the same id on another platform is another event")
	}
	if n, err := s.PurgeEvents(ctx, time.Hour); err != nil || n != 0 {
		t.Errorf("purge of fresh claims: %d %v", n, err)
	}
	if n, _ := s.PurgeEvents(ctx, -time.Second); n != 2 {
		t.Errorf("purged %d", n)
	}
	if ok, _ := s.Claim(ctx, "p", "e1"); !ok {
		t.Error("a purged event cannot be claimed again")
	}
}

func TestFeedbackAndShares(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	for _, d := range []struct{ up, down int }{{1, 0}, {1, 0}, {0, 1}, {-1, 0}, {0, -1}, {0, -1}} {
		if err := s.RecordFeedback(ctx, "fp", []string{"doc"}, d.up, d.down); err != nil {
			t.Fatal(err)
		}
	}
	f, err := s.FeedbackFor(ctx, "fp")
	if err != nil || f.Up != 1 || f.Down != 0 || len(f.Documents) != 1 {
		t.Errorf("feedback %+v %v", f, err)
	}
	if err := s.SaveShare(ctx, "s1", []byte("antwoord")); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.TakeShare(ctx, "s1"); string(p) != "antwoord" {
		t.Errorf("share %q", p)
	}
	if p, _ := s.TakeShare(ctx, "s1"); p != nil {
		t.Error("a share was taken twice")
	}
}
