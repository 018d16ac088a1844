package postgres_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/wegwijs/wegwijs/knowledge"
	"github.com/wegwijs/wegwijs/retrieval"
	"github.com/wegwijs/wegwijs/retrieval/offline"
	"github.com/wegwijs/wegwijs/retrieval/postgres"
)

// activeText is the text of a document's answering chunks, joined.
func activeText(t *testing.T, s *postgres.Store, slug string) string {
	t.Helper()
	chunks, err := s.Chunks(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, c := range chunks {
		b.WriteString(c.Text + "\n")
	}
	return b.String()
}

// searchFinds reports whether a search for text returns a chunk of slug
// holding want.
func searchFinds(t *testing.T, s *postgres.Store, text, want string) bool {
	t.Helper()
	ctx := context.Background()
	emb := offline.New(64)
	vs, _ := emb.Embed(ctx, []string{text})
	c, err := s.Candidates(ctx, retrieval.Query{Text: text, Vector: vs[0], Embedder: emb.Name(), Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range c.Lists {
		for _, p := range l {
			if strings.Contains(p.Text, want) {
				return true
			}
		}
	}
	return false
}

// A draft answers nothing: the version that answers stays whole until the
// draft is activated, in one step; then the earlier version can be
// restored, and that restore undone.
func TestDraftActivateRestore(t *testing.T) {
	s, in, _ := storeWithRollen(t)
	ctx := context.Background()
	p := writeFile(t, t.TempDir(), "upload-123.txt", docV2)
	res, err := in.DraftFile(ctx, p, "rollen.txt", knowledge.Meta{Title: "Rollen, nieuw"})
	if err != nil || res.Version != 2 || res.Action != knowledge.Updated {
		t.Fatalf("draft: %+v %v", res, err)
	}
	if got := activeText(t, s, "rollen"); strings.Contains(got, "dezelfde dag") || !strings.Contains(got, "leerplichtambtenaar") {
		t.Fatalf("a draft changed the answering version: %q", got)
	}
	if searchFinds(t, s, "mentor belt dezelfde dag", "dezelfde dag") {
		t.Fatal("a search found the draft's text")
	}
	drafts, err := s.Drafts(ctx)
	if err != nil || len(drafts) != 1 || drafts[0].Slug != "rollen" || drafts[0].Chunks != 1 || drafts[0].Meta.Title != "Rollen, nieuw" || drafts[0].Origin != knowledge.OriginChat {
		t.Fatalf("drafts: %+v %v", drafts, err)
	}
	if chunks, err := s.DraftChunks(ctx, "rollen", 2); err != nil || len(chunks) != 1 {
		t.Fatalf("draft chunks: %+v %v", chunks, err)
	}
	if _, err := s.EditDraft(ctx, "rollen", 2, "Rollen bij verzuim", "Twente"); err != nil {
		t.Fatal(err)
	}

	rec, err := s.ActivateDraft(ctx, "rollen", 2)
	if err != nil || rec.Version != 2 || rec.Meta.Title != "Rollen bij verzuim" || rec.Meta.Region != "Twente" || rec.Chunks != 1 {
		t.Fatalf("activate: %+v %v", rec, err)
	}
	if !searchFinds(t, s, "mentor belt dezelfde dag", "dezelfde dag") {
		t.Fatal("the activated version does not answer")
	}
	if current, err := s.StatsCurrent(ctx); err != nil || !current {
		t.Errorf("statistics not refreshed after activation: %v %v", current, err)
	}
	if _, err := s.ActivateDraft(ctx, "rollen", 2); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("second activation: %v, want not found", err)
	}

	rec, err = s.Restore(ctx, "rollen")
	if err != nil || rec.Version != 1 || rec.Chunks != 2 {
		t.Fatalf("restore: %+v %v", rec, err)
	}
	if got := activeText(t, s, "rollen"); strings.Contains(got, "dezelfde dag") || !strings.Contains(got, "leerplichtambtenaar") {
		t.Fatalf("after restore: %q", got)
	}
	if rec, err = s.Restore(ctx, "rollen"); err != nil || rec.Version != 2 {
		t.Fatalf("undoing the restore: %+v %v", rec, err)
	}
	if !searchFinds(t, s, "mentor belt dezelfde dag", "dezelfde dag") {
		t.Fatal("version 2 does not answer after the undo")
	}
	var shelf, all int
	s.Pool().QueryRow(ctx, `SELECT (SELECT count(*) FROM chunks_shelf), (SELECT count(*) FROM chunks)`).Scan(&shelf, &all)
	if shelf != 2 || all != 1 {
		t.Errorf("%d chunks on the shelf and %d answering, want 2 and 1", shelf, all)
	}
}

// A removed document can be restored; a cancelled draft leaves nothing;
// a newer draft takes the place of an older one.
func TestRemoveRestoreAndCancel(t *testing.T) {
	s, in, _ := storeWithRollen(t)
	ctx := context.Background()
	if err := in.Remove(ctx, "rollen"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Document(ctx, "rollen"); !errors.Is(err, knowledge.ErrNotFound) {
		t.Fatalf("removed document: %v", err)
	}
	if searchFinds(t, s, "leerplichtambtenaar wettelijke taak", "leerplichtambtenaar") {
		t.Fatal("a removed document answers")
	}
	if rec, err := s.Restore(ctx, "rollen"); err != nil || rec.Version != 1 {
		t.Fatalf("restore: %+v %v", rec, err)
	}
	if !searchFinds(t, s, "leerplichtambtenaar wettelijke taak", "leerplichtambtenaar") {
		t.Fatal("the restored document does not answer")
	}

	dir := t.TempDir()
	if _, err := in.DraftFile(ctx, writeFile(t, dir, "a", docV2), "rollen.txt", knowledge.Meta{}); err != nil {
		t.Fatal(err)
	}
	res, err := in.DraftFile(ctx, writeFile(t, dir, "b", docV2+"\nNog een zin over de zorgcoördinator."), "rollen.txt", knowledge.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if drafts, _ := s.Drafts(ctx); len(drafts) != 1 || drafts[0].Version != res.Version {
		t.Fatalf("two drafts of one document: %+v", drafts)
	}
	if err := s.CancelDraft(ctx, "rollen", res.Version); err != nil {
		t.Fatal(err)
	}
	var n int
	s.Pool().QueryRow(ctx, `SELECT count(*) FROM documents WHERE draft`).Scan(&n)
	if n != 0 {
		t.Errorf("%d drafts after cancel", n)
	}
	if err := s.CancelDraft(ctx, "rollen", res.Version); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("second cancel: %v", err)
	}
	if rec, _ := s.Document(ctx, "rollen"); rec.Version != 1 {
		t.Errorf("cancel touched the answering version: %+v", rec)
	}
}

// Two beleidsmedewerkers pressing "Live zetten" at once: one activates,
// the other is told the draft is gone; readers see one whole version
// throughout.
func TestConcurrentActivation(t *testing.T) {
	s, in, _ := storeWithRollen(t)
	ctx := context.Background()
	res, err := in.DraftFile(ctx, writeFile(t, t.TempDir(), "x", docV2), "rollen.txt", knowledge.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	var bad, reads atomic.Int64
	var readers sync.WaitGroup
	readers.Add(1)
	go func() {
		defer readers.Done()
		for !stop.Load() {
			var n, versions int
			if err := s.Pool().QueryRow(ctx, `SELECT count(*), count(DISTINCT d.id) FROM chunks c
				JOIN documents d ON d.id = c.document_id WHERE d.slug = 'rollen' AND d.active`).Scan(&n, &versions); err != nil {
				t.Error(err)
				return
			}
			reads.Add(1)
			if versions != 1 || (n != 1 && n != 2) {
				bad.Add(1)
			}
		}
	}()
	var wg sync.WaitGroup
	var ok, gone atomic.Int64
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.ActivateDraft(ctx, "rollen", res.Version)
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, knowledge.ErrNotFound):
				gone.Add(1)
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for range 10 { // and restores back and forth
		if _, err := s.Restore(ctx, "rollen"); err != nil {
			t.Fatal(err)
		}
	}
	stop.Store(true)
	readers.Wait()
	if ok.Load() != 1 || gone.Load() != 1 {
		t.Errorf("%d activations and %d told it was gone, want 1 and 1", ok.Load(), gone.Load())
	}
	if bad.Load() > 0 {
		t.Errorf("%d of %d reads saw a half-swapped document", bad.Load(), reads.Load())
	}
}

// PurgeShelf drops drafts a crash or a forgotten conversation left, and
// turns the versions kept to restore into history.
func TestPurgeShelf(t *testing.T) {
	s, in, _ := storeWithRollen(t)
	ctx := context.Background()
	if _, err := in.DraftFile(ctx, writeFile(t, t.TempDir(), "x", docV2), "nieuw.txt", knowledge.Meta{}); err != nil {
		t.Fatal(err)
	}
	if err := in.Remove(ctx, "rollen"); err != nil {
		t.Fatal(err)
	}
	if n, err := s.PurgeShelf(ctx, 3600e9); err != nil || n != 0 {
		t.Fatalf("purge of an hour: %d %v, want nothing that young", n, err)
	}
	n, err := s.PurgeShelf(ctx, 0)
	if err != nil || n != 2 {
		t.Fatalf("purge: %d %v, want the draft and the removed version", n, err)
	}
	var docs, shelf int
	s.Pool().QueryRow(ctx, `SELECT (SELECT count(*) FROM documents WHERE draft OR restorable OR title <> '' OR source <> ''),
		(SELECT count(*) FROM chunks_shelf)`).Scan(&docs, &shelf)
	if docs != 0 || shelf != 0 {
		t.Errorf("after the purge: %d versions with more than their history, %d chunks on the shelf", docs, shelf)
	}
}

// A file sent under another name that is the new edition of a document
// becomes that document's next version.
func TestAdoptDraft(t *testing.T) {
	s, in, _ := storeWithRollen(t)
	ctx := context.Background()
	res, err := in.DraftFile(ctx, writeFile(t, t.TempDir(), "x", docV2), "rollen-2026.txt", knowledge.Meta{})
	if err != nil || res.Slug != "rollen-2026" || res.Version != 1 || res.Action != knowledge.Added {
		t.Fatalf("draft: %+v %v", res, err)
	}
	rec, err := s.AdoptDraft(ctx, "rollen-2026", 1, "rollen")
	if err != nil || rec.Slug != "rollen" || rec.Version != 2 {
		t.Fatalf("adopt: %+v %v", rec, err)
	}
	if _, err := s.ActivateDraft(ctx, "rollen", 2); err != nil {
		t.Fatal(err)
	}
	if recs, _ := s.List(ctx); len(recs) != 1 || recs[0].Slug != "rollen" || recs[0].Version != 2 {
		t.Errorf("after adopting: %+v", recs)
	}
	if _, err := s.AdoptDraft(ctx, "rollen-2026", 1, "rollen"); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("adopting again: %v", err)
	}
}

// A check copy answers with the draft in place of the live version; the
// live knowledge base does not change, and done leaves nothing behind.
func TestCheckCopy(t *testing.T) {
	s, in, _ := storeWithRollen(t)
	ctx := context.Background()
	res, err := in.DraftFile(ctx, writeFile(t, t.TempDir(), "x", docV2), "rollen-nieuw.txt", knowledge.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	c, done, err := s.CheckCopy(ctx, res.Slug, res.Version, "rollen")
	if err != nil {
		t.Fatal(err)
	}
	if got := activeText(t, c, "rollen"); !strings.Contains(got, "dezelfde dag") || strings.Contains(got, "leerplichtambtenaar heeft") {
		t.Errorf("the copy's rollen: %q", got)
	}
	if !searchFinds(t, c, "mentor belt dezelfde dag", "dezelfde dag") {
		t.Error("a search in the copy does not find the draft")
	}
	if recs, err := c.List(ctx); err != nil || len(recs) != 1 {
		t.Errorf("the copy's documents: %+v %v", recs, err)
	}
	if got := activeText(t, s, "rollen"); strings.Contains(got, "dezelfde dag") {
		t.Errorf("the live knowledge base changed: %q", got)
	}
	done()
	var n int
	s.Pool().QueryRow(ctx, `SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'wegwijs_check_%'`).Scan(&n)
	if n != 0 {
		t.Errorf("%d check schemas left", n)
	}
	if drafts, _ := s.Drafts(ctx); len(drafts) != 1 {
		t.Errorf("the draft went with the copy: %+v", drafts)
	}
}
