package postgres_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/wegwijs/wegwijs/knowledge"
	"github.com/wegwijs/wegwijs/knowledge/text"
	"github.com/wegwijs/wegwijs/retrieval"
	"github.com/wegwijs/wegwijs/retrieval/offline"
	"github.com/wegwijs/wegwijs/retrieval/postgres"
	"github.com/wegwijs/wegwijs/retrieval/postgres/pgtest"
)

func openStore(t *testing.T) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), pgtest.DSN(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func ingester(s *postgres.Store) *knowledge.Ingester {
	tx := text.New()
	return &knowledge.Ingester{
		Store:      s,
		Embedder:   offline.New(64),
		Extractors: map[string]knowledge.Extractor{"txt": tx, "md": tx},
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	from, to, err := s.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if from != to || to != postgres.LatestSchema() || to == 0 {
		t.Fatalf("second migrate: from %d to %d, latest %d", from, to, postgres.LatestSchema())
	}
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const docV1 = `ROL VAN DE MENTOR

De mentor is de eerste contactpersoon van school voor de leerling en de ouders. Hij of zij bespreekt het verzuim.

ROL VAN DE LEERPLICHTAMBTENAAR

De leerplichtambtenaar heeft een wettelijke taak bij ongeoorloofd verzuim en sluit aan bij het overleg.
`

const docV2 = `ROL VAN DE MENTOR

De mentor belt dezelfde dag nog met de ouders als een leerling ongeoorloofd afwezig is.
`

func TestVersionsReplaceAndRemove(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	in := ingester(s)
	dir := t.TempDir()
	p := writeFile(t, dir, "rollen.txt", docV1)

	res, err := in.AddFile(ctx, p, knowledge.Meta{Region: "landelijk"})
	if err != nil || res.Action != knowledge.Added || res.Version != 1 {
		t.Fatalf("first add: %+v %v", res, err)
	}
	chunks, err := s.Chunks(ctx, "rollen")
	if err != nil || len(chunks) != 2 {
		t.Fatalf("chunks: %d %v", len(chunks), err)
	}
	if got := strings.Join(chunks[1].Heading, ">"); got != "ROL VAN DE LEERPLICHTAMBTENAAR" {
		t.Errorf("heading of chunk 1 = %q", got)
	}

	res, err = in.AddFile(ctx, p, knowledge.Meta{Region: "landelijk"})
	if err != nil || res.Action != knowledge.Unchanged || res.Version != 1 {
		t.Fatalf("unchanged add: %+v %v", res, err)
	}

	writeFile(t, dir, "rollen.txt", docV2)
	res, err = in.AddFile(ctx, p, knowledge.Meta{Region: "landelijk"})
	if err != nil || res.Action != knowledge.Updated || res.Version != 2 {
		t.Fatalf("changed add: %+v %v", res, err)
	}
	chunks, _ = s.Chunks(ctx, "rollen")
	if len(chunks) != 1 || !strings.Contains(chunks[0].Text, "dezelfde dag") {
		t.Fatalf("after update the chunks are %+v", chunks)
	}
	var n int
	s.Pool().QueryRow(ctx, `SELECT count(*) FROM chunks`).Scan(&n)
	if n != 1 {
		t.Errorf("old chunks left behind: %d chunks in the table", n)
	}
	rec, err := s.Document(ctx, "rollen")
	if err != nil || rec.Meta.Region != "landelijk" || rec.Chunks != 1 {
		t.Errorf("record %+v %v", rec, err)
	}

	if err := in.Remove(ctx, "rollen"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Document(ctx, "rollen"); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("after remove: %v", err)
	}
	if err := in.Remove(ctx, "rollen"); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("second remove: %v", err)
	}
	s.Pool().QueryRow(ctx, `SELECT count(*) FROM chunks`).Scan(&n)
	if n != 0 {
		t.Errorf("removed document still has %d chunks", n)
	}
}

// storeWithRollen is a fresh store holding rollen.txt (docV1, 2 chunks).
func storeWithRollen(t *testing.T) (*postgres.Store, *knowledge.Ingester, string) {
	t.Helper()
	s := openStore(t)
	in := ingester(s)
	p := writeFile(t, t.TempDir(), "rollen.txt", docV1)
	if _, err := in.AddFile(context.Background(), p, knowledge.Meta{}); err != nil {
		t.Fatal(err)
	}
	return s, in, p
}

// swapRollen writes version i of rollen.txt (docV2 for even i, else
// docV1) and adds it, swapping the document.
func swapRollen(ctx context.Context, in *knowledge.Ingester, p string, i int) error {
	content := docV1
	if i%2 == 0 {
		content = docV2
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		return err
	}
	_, err := in.AddFile(ctx, p, knowledge.Meta{})
	return err
}

// TestSwapIsAtomic replaces a document over and over while readers count
// its chunks: every reader must see exactly one whole version, the old one
// (2 chunks) or the new one (1 chunk), never none, a mix or both.
func TestSwapIsAtomic(t *testing.T) {
	s, in, p := storeWithRollen(t)
	ctx := context.Background()
	var stop atomic.Bool
	var wg sync.WaitGroup
	var bad atomic.Int64
	var reads atomic.Int64
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				var n, versions int
				err := s.Pool().QueryRow(ctx, `SELECT count(*), count(DISTINCT d.id) FROM chunks c
					JOIN documents d ON d.id = c.document_id WHERE d.slug = 'rollen' AND d.active`).Scan(&n, &versions)
				if err != nil {
					t.Error(err)
					return
				}
				reads.Add(1)
				if versions != 1 || (n != 1 && n != 2) {
					bad.Add(1)
				}
			}
		}()
	}
	for i := range 20 {
		if err := swapRollen(ctx, in, p, i); err != nil {
			t.Fatal(err)
		}
	}
	stop.Store(true)
	wg.Wait()
	if bad.Load() > 0 {
		t.Fatalf("%d of %d reads saw a half-swapped document", bad.Load(), reads.Load())
	}
	rec, _ := s.Document(ctx, "rollen")
	if rec.Version != 21 {
		t.Errorf("version = %d, want 21", rec.Version)
	}
}

func TestEmbedderMismatchIsRefused(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	in := ingester(s)
	dir := t.TempDir()
	if _, err := in.AddFile(ctx, writeFile(t, dir, "a.txt", docV1), knowledge.Meta{}); err != nil {
		t.Fatal(err)
	}
	in.Embedder = offline.New(32)
	_, err := in.AddFile(ctx, writeFile(t, dir, "b.txt", docV2), knowledge.Meta{})
	if !errors.Is(err, knowledge.ErrEmbedderMismatch) {
		t.Fatalf("want ErrEmbedderMismatch, got %v", err)
	}
}

func TestSyncSample(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	in := ingester(s)
	sample := filepath.Join("..", "..", "knowledge", "sample")
	rep, err := in.Sync(ctx, sample)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Count(knowledge.Added) != 5 || len(rep.Failures()) != 0 {
		t.Fatalf("first sync: %+v", rep.Results)
	}
	recs, err := s.List(ctx)
	if err != nil || len(recs) != 5 {
		t.Fatalf("list: %d %v", len(recs), err)
	}
	regions := map[string]string{}
	for _, r := range recs {
		regions[r.Slug] = r.Meta.Region
		if r.Chunks == 0 || r.Meta.Title == "" {
			t.Errorf("%s: %+v", r.Slug, r)
		}
	}
	if regions["twente-ontwikkeltafel-3"] != "Twente" || regions["routeboek-verzuim-en-thuiszitters-po"] != "Haaglanden" {
		t.Errorf("regions: %v", regions)
	}
	rep, err = in.Sync(ctx, sample)
	if err != nil || rep.Count(knowledge.Unchanged) != 5 {
		t.Fatalf("second sync: %+v %v", rep.Results, err)
	}
	var words int
	s.Pool().QueryRow(ctx, `SELECT count(*) FROM lexicon WHERE word = 'leerplichtambtenaar'`).Scan(&words)
	if words != 1 {
		t.Errorf("lexicon lacks leerplichtambtenaar")
	}
}

func TestSyncRemovesWhatLeftTheFolder(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	in := ingester(s)
	dir := t.TempDir()
	writeFile(t, dir, "a.txt", docV1)
	b := writeFile(t, dir, "b.txt", docV2)
	writeFile(t, dir, "leeg.txt", "  \n")
	writeFile(t, dir, "plaatje.png", "\x89PNG\r\n\x1a\n....")
	rep, err := in.Sync(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Count(knowledge.Added) != 2 || len(rep.Failures()) != 2 {
		t.Fatalf("first sync: %+v", rep.Results)
	}
	for _, f := range rep.Failures() {
		ie, ok := knowledge.AsInputError(f.Err)
		if !ok || (ie.Problem != knowledge.Empty && ie.Problem != knowledge.Unsupported) {
			t.Errorf("%s: %v", f.Name, f.Err)
		}
	}
	os.Remove(b)
	rep, err = in.Sync(ctx, dir)
	if err != nil || rep.Count(knowledge.Removed) != 1 || rep.Count(knowledge.Unchanged) != 1 {
		t.Fatalf("second sync: %+v %v", rep.Results, err)
	}
	if _, err := s.Document(ctx, "b"); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("b still there: %v", err)
	}
}

// TestCandidatesSeeOneVersion swaps a document while searching: the lists
// run on separate connections but share one snapshot, so every passage of
// the document in one result comes from the same version (its chunk ids
// are consecutive).
func TestCandidatesSeeOneVersion(t *testing.T) {
	s, in, p := storeWithRollen(t)
	ctx := context.Background()
	emb := offline.New(64)
	vs, _ := emb.Embed(ctx, []string{"mentor ouders verzuim"})
	q := retrieval.Query{Text: "mentor ouders verzuim", Vector: vs[0], Embedder: emb.Name(), Limit: 10}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 15 {
			if err := swapRollen(ctx, in, p, i); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	searches := 0
	for {
		select {
		case <-done:
			if searches == 0 {
				t.Error("no search ran during the swaps")
			}
			return
		default:
		}
		c, err := s.Candidates(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		searches++
		var lo, hi int64 = 1 << 62, 0
		for _, l := range c.Lists {
			for _, p := range l {
				lo, hi = min(lo, p.ChunkID), max(hi, p.ChunkID)
			}
		}
		if hi > 0 && hi-lo > 1 {
			t.Fatalf("one search saw chunks %d..%d: two versions mixed", lo, hi)
		}
	}
}

// TestTrigramFindsCompoundsAndSlips checks the fuzzy list: a word inside a
// compound and a misspelt word find their chunk through the lexicon and
// the postings view, and once the document's new version drops that chunk,
// so does the list (the views are refreshed with the swap).
func TestTrigramFindsCompoundsAndSlips(t *testing.T) {
	s, in, p := storeWithRollen(t)
	ctx := context.Background()
	fuzzy := func(question string) []retrieval.Candidate {
		t.Helper()
		c, err := s.Candidates(ctx, retrieval.Query{Text: question, Limit: 10, Lists: []retrieval.List{retrieval.Trigram}})
		if err != nil {
			t.Fatal(err)
		}
		return c.Lists[retrieval.Trigram]
	}
	for _, q := range []string{"leerplicht", "leerplichtambtenar taak"} {
		got := fuzzy(q)
		if len(got) == 0 || !strings.Contains(got[0].Text, "leerplichtambtenaar") {
			t.Fatalf("%q: trigram list %+v, want the leerplichtambtenaar chunk first", q, got)
		}
		if len(got[0].Matched) == 0 {
			t.Errorf("%q: the candidate names no matched word", q)
		}
	}
	if err := swapRollen(ctx, in, p, 0); err != nil { // docV2 has no leerplichtambtenaar
		t.Fatal(err)
	}
	for _, c := range fuzzy("leerplicht") {
		if strings.Contains(c.Text, "leerplichtambtenaar") {
			t.Fatalf("after the swap the trigram list still finds the old chunk %d", c.ChunkID)
		}
	}
}

// HNSWSettings reports the index's build parameters, and an index built
// with lower ones as outdated (kb reembed rebuilds it).
func TestHNSWSettings(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	if m, _, _, err := s.HNSWSettings(ctx); err != nil || m != 0 {
		t.Fatalf("empty store: m %d, %v", m, err)
	}
	if _, err := ingester(s).AddFile(ctx, writeFile(t, t.TempDir(), "a.txt", docV1), knowledge.Meta{}); err != nil {
		t.Fatal(err)
	}
	m, efc, outdated, err := s.HNSWSettings(ctx)
	if err != nil || m != 32 || efc != 800 || outdated {
		t.Fatalf("new index: m %d, ef_construction %d, outdated %v, %v", m, efc, outdated, err)
	}
	_, err = s.Pool().Exec(ctx, `ALTER INDEX chunks_embedding_hnsw SET (ef_construction = 400)`)
	if err != nil {
		t.Fatal(err)
	}
	if _, efc, outdated, err := s.HNSWSettings(ctx); err != nil || efc != 400 || !outdated {
		t.Errorf("older index: ef_construction %d, outdated %v, %v", efc, outdated, err)
	}
}
