package postgres_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/wegwijs/wegwijs/knowledge"
	"github.com/wegwijs/wegwijs/retrieval/postgres"
)

// slugs lists the active documents' keys, sorted.
func slugs(t *testing.T, s *postgres.Store) []string {
	t.Helper()
	recs, err := s.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range recs {
		out = append(out, r.Slug)
		if r.Chunks == 0 {
			t.Errorf("%s has no passages", r.Slug)
		}
		if !utf8.ValidString(r.Meta.Title) || r.Meta.Title == "" {
			t.Errorf("%s: title %q", r.Slug, r.Meta.Title)
		}
	}
	slices.Sort(out)
	return out
}

func mustSync(t *testing.T, in *knowledge.Ingester, dir string) knowledge.Report {
	t.Helper()
	rep, err := in.Sync(context.Background(), dir)
	if err != nil {
		t.Fatalf("sync %s: %v (%+v)", dir, err, rep.Results)
	}
	return rep
}

// File names that start with or consist of letters outside ASCII were
// stored with a title cut in the middle of a character, which PostgreSQL
// refused; the English error stopped the folder's sync, so the files after
// it were not added and the deleted ones not removed.
func TestSyncOddFileNames(t *testing.T) {
	s := openStore(t)
	in := ingester(s)
	dir := t.TempDir()
	for _, name := range []string{"één-loket.txt", "日本語.txt", "😀.txt", "zorg.txt"} {
		writeFile(t, dir, name, docV1)
	}
	weg := writeFile(t, dir, "weg.txt", docV2)
	mustSync(t, in, dir)
	os.Remove(weg)
	rep := mustSync(t, in, dir)
	if len(rep.Failures()) > 0 || rep.Count(knowledge.Removed) != 1 {
		t.Fatalf("second sync: %+v", rep.Results)
	}
	want := []string{"document-f0443a34", "een-loket", "zorg", "日本語"}
	if got := slugs(t, s); !slices.Equal(got, want) {
		t.Errorf("documents %q, want %q", got, want)
	}
	rec, _ := s.Document(context.Background(), "een-loket")
	if rec.Meta.Title != "Één loket" {
		t.Errorf("title %q", rec.Meta.Title)
	}
}

// The same file name in two synced folders made one document of both:
// each sync replaced the other's version, and a file deleted in one folder
// took the document away for both. Now the second folder's document gets
// the folder's name after its own; the keys stay when the first one goes.
func TestSyncSameNameInTwoFolders(t *testing.T) {
	s := openStore(t)
	in := ingester(s)
	root := t.TempDir()
	twente, haaglanden := filepath.Join(root, "twente"), filepath.Join(root, "haaglanden")
	os.Mkdir(twente, 0o755)
	os.Mkdir(haaglanden, 0o755)
	tw := writeFile(t, twente, "beleid.txt", docV1)
	writeFile(t, haaglanden, "beleid.txt", docV2)

	mustSync(t, in, twente)
	mustSync(t, in, haaglanden)
	if got := slugs(t, s); !slices.Equal(got, []string{"beleid", "beleid-haaglanden"}) {
		t.Fatalf("documents %q", got)
	}
	for _, dir := range []string{twente, haaglanden} {
		if rep := mustSync(t, in, dir); rep.Count(knowledge.Unchanged) != 1 {
			t.Errorf("re-sync of %s changed something: %+v", dir, rep.Results)
		}
	}
	os.Remove(tw)
	if rep := mustSync(t, in, twente); rep.Count(knowledge.Removed) != 1 {
		t.Fatalf("twente: %+v", rep.Results)
	}
	if got := slugs(t, s); !slices.Equal(got, []string{"beleid-haaglanden"}) {
		t.Fatalf("after deleting twente's file: %q", got)
	}
	if rep := mustSync(t, in, haaglanden); rep.Count(knowledge.Unchanged) != 1 {
		t.Errorf("haaglanden's document changed key: %+v", rep.Results)
	}
}

// A folder that is moved or renamed takes its documents along: the keys
// stay, nothing is doubled.
func TestSyncMovedFolder(t *testing.T) {
	s := openStore(t)
	in := ingester(s)
	root := t.TempDir()
	old := filepath.Join(root, "oud")
	os.Mkdir(old, 0o755)
	writeFile(t, old, "rollen.txt", docV1)
	mustSync(t, in, old)
	moved := filepath.Join(root, "nieuw")
	if err := os.Rename(old, moved); err != nil {
		t.Fatal(err)
	}
	mustSync(t, in, moved)
	if got := slugs(t, s); !slices.Equal(got, []string{"rollen"}) {
		t.Fatalf("documents %q", got)
	}
}

// A symbolic link to a folder was read as a file and reported as a failure
// ("dit is een map; gebruik kb sync", in a kb sync): now links to folders,
// links that point nowhere or to themselves, and pipes are skipped with a
// note, and the sync succeeds; a link to a file is read as that file.
func TestSyncSymlinksAndOddFiles(t *testing.T) {
	s := openStore(t)
	in := ingester(s)
	root := t.TempDir()
	dir := filepath.Join(root, "map")
	other := filepath.Join(root, "elders")
	os.Mkdir(dir, 0o755)
	os.Mkdir(other, 0o755)
	writeFile(t, dir, "rollen.txt", docV1)
	target := writeFile(t, other, "mentor.txt", docV2)
	for _, l := range []struct{ target, name string }{
		{other, "naar-elders"},            // a folder
		{dir, "lus"},                      // the folder itself: a loop
		{"zichzelf", "zichzelf"},          // a link to itself
		{"bestaat-niet.txt", "kapot.txt"}, // points nowhere
		{target, "mentor.txt"},            // a file
	} {
		if err := os.Symlink(l.target, filepath.Join(dir, l.name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pijp.txt"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := mustSync(t, in, dir)
	if len(rep.Failures()) > 0 || rep.Count(knowledge.Added) != 2 || rep.Count(knowledge.Skipped) != 5 {
		t.Fatalf("results: %+v", rep.Results)
	}
	for _, r := range rep.Results {
		if r.Action == knowledge.Skipped && !strings.HasPrefix(r.Dutch(), "Overgeslagen: "+filepath.Base(r.Name)+" ") {
			t.Errorf("note %q", r.Dutch())
		}
	}
	if got := slugs(t, s); !slices.Equal(got, []string{"mentor", "rollen"}) {
		t.Errorf("documents %q", got)
	}
	if sum := rep.Summary(0); !strings.Contains(sum, "5 overgeslagen") {
		t.Errorf("summary %q", sum)
	}
}

// After an interrupted sync (a crash between the document transactions and
// the refresh) the search statistics were out of date, and a sync with
// nothing to do did not repair them. Now every sync (and add) brings them
// up to date when the knowledge base's version moved on since their last
// refresh.
func TestStaleStatisticsAreRepaired(t *testing.T) {
	s := openStore(t)
	in := ingester(s)
	ctx := context.Background()
	dir := t.TempDir()
	writeFile(t, dir, "rollen.txt", docV1)
	mustSync(t, in, dir)
	if err := s.VerifyStats(ctx); err != nil {
		t.Fatalf("after a sync: %v", err)
	}
	// The interruption: a document swapped in, no refresh after it.
	p := writeFile(t, dir, "thuiszitters.txt", "THUISZITTERS\n\nDe thuiszitterstafel bespreekt elke leerling die langer dan vier weken thuis zit.\n")
	chunks := []knowledge.Chunk{{Text: "De thuiszitterstafel bespreekt elke leerling die langer dan vier weken thuis zit.", Heading: []string{"THUISZITTERS"}}}
	vecs, _ := in.Embedder.Embed(ctx, []string{knowledge.EmbedText(chunks[0])})
	if _, err := s.Replace(ctx, knowledge.Record{Slug: "thuiszitters", Meta: knowledge.Meta{Title: "T"}, Source: p, Format: "txt", Hash: "x"},
		knowledge.Passages(chunks, vecs), in.Embedder.Name()); err != nil {
		t.Fatal(err)
	}
	if err := s.VerifyStats(ctx); err == nil {
		t.Fatal("the interruption left the statistics current: the test simulates nothing")
	}
	if ok, _ := s.StatsCurrent(ctx); ok {
		t.Error("StatsCurrent after the interruption")
	}
	// The next sync has nothing else to do (the document it stored under
	// the interruption is the file's as far as it knows): it repairs.
	os.Remove(p)
	mustSync(t, in, dir)
	if err := s.VerifyStats(ctx); err != nil {
		t.Fatalf("a sync after the interruption did not repair: %v", err)
	}
	if ok, err := s.StatsCurrent(ctx); !ok || err != nil {
		t.Errorf("StatsCurrent = %v, %v", ok, err)
	}
	// A second interruption, repaired by a sync that changes nothing.
	if _, err := s.Replace(ctx, knowledge.Record{Slug: "los", Meta: knowledge.Meta{Title: "Los"}, Source: "los", Format: "txt", Hash: "y"},
		knowledge.Passages(chunks, vecs), in.Embedder.Name()); err != nil {
		t.Fatal(err)
	}
	if rep := mustSync(t, in, dir); rep.Count(knowledge.Unchanged) != 1 || len(rep.Results) != 1 {
		t.Fatalf("the unchanged sync did something: %+v", rep.Results)
	}
	if err := s.VerifyStats(ctx); err != nil {
		t.Fatalf("an unchanged sync did not repair: %v", err)
	}
	var n int
	s.Pool().QueryRow(ctx, `SELECT count(*) FROM lexicon WHERE word = 'thuiszitterstafel'`).Scan(&n)
	if n != 1 {
		t.Error("the new document's words are not in the lexicon")
	}
}

// gatedEmbedder holds its first Embed call until the gate opens.
type gatedEmbedder struct {
	knowledge.Embedder
	entered chan struct{}
	gate    chan struct{}
	once    sync.Once
}

func (g *gatedEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	g.once.Do(func() { close(g.entered); <-g.gate })
	return g.Embedder.Embed(ctx, texts)
}

// Two syncs of one folder at once both did all the work (each added every
// document, or replaced the other's version). Now the second waits for
// the first, saying so, and then finds nothing to do.
func TestConcurrentSyncsOfOneFolder(t *testing.T) {
	s := openStore(t)
	dir := t.TempDir()
	for _, name := range []string{"a.txt", "b.txt", "c.txt"} {
		writeFile(t, dir, name, docV1+"\n"+name+"\n")
	}
	first, second := ingester(s), ingester(s)
	gated := &gatedEmbedder{Embedder: first.Embedder, entered: make(chan struct{}), gate: make(chan struct{})}
	first.Embedder = gated
	var open sync.Once
	release := func() { open.Do(func() { close(gated.gate) }) }
	var notices []string
	second.Notice = func(m string) { notices = append(notices, m); release() }

	var wg sync.WaitGroup
	var reps [2]knowledge.Report
	var errs [2]error
	wg.Go(func() { reps[0], errs[0] = first.Sync(context.Background(), dir) })
	<-gated.entered // the first sync is under way, in its first document
	wg.Go(func() { reps[1], errs[1] = second.Sync(context.Background(), dir) })
	timer := time.AfterFunc(5*time.Second, release) // without a lock nobody waits
	wg.Wait()
	timer.Stop()
	if err := errors.Join(errs[:]...); err != nil {
		t.Fatal(err)
	}
	if len(notices) != 1 || !strings.Contains(notices[0], "wacht") {
		t.Errorf("the second sync did not say it waits: %q", notices)
	}
	if reps[0].Count(knowledge.Added) != 3 || reps[1].Count(knowledge.Unchanged) != 3 {
		t.Errorf("first %+v, second %+v; want the second to find all unchanged", reps[0].Results, reps[1].Results)
	}
	var versions int
	s.Pool().QueryRow(context.Background(), `SELECT count(*) FROM documents`).Scan(&versions)
	if versions != 3 {
		t.Errorf("%d document versions stored, want 3", versions)
	}
}

// kb add keeps to the same rules: a file of a synced folder added again
// stays that folder's document; a file of the same name elsewhere is a
// document of its own, named after its folder; a file added with kb add
// from another place updates the kb-add document of that name, as kb add
// always did, and when a synced folder holds that name, each folder's file
// has its own.
func TestAddFileKeys(t *testing.T) {
	s := openStore(t)
	in := ingester(s)
	ctx := context.Background()
	root := t.TempDir()
	folder := filepath.Join(root, "twente")
	os.Mkdir(folder, 0o755)
	synced := writeFile(t, folder, "beleid.txt", docV1)
	mustSync(t, in, folder)

	if res, err := in.AddFile(ctx, synced, knowledge.Meta{}); err != nil || res.Slug != "beleid" || res.Action != knowledge.Unchanged {
		t.Fatalf("adding the synced file: %+v %v", res, err)
	}
	elsewhere := filepath.Join(root, "downloads")
	os.Mkdir(elsewhere, 0o755)
	other := writeFile(t, elsewhere, "beleid.txt", docV2)
	if res, err := in.AddFile(ctx, other, knowledge.Meta{}); err != nil || res.Slug != "beleid-downloads" || res.Action != knowledge.Added {
		t.Fatalf("adding a file of the same name: %+v %v", res, err)
	}
	if rep := mustSync(t, in, folder); rep.Count(knowledge.Unchanged) != 1 || len(rep.Results) != 1 {
		t.Errorf("the folder's sync after the adds: %+v", rep.Results)
	}
	third := filepath.Join(root, "nog-ergens")
	os.Mkdir(third, 0o755)
	again := writeFile(t, third, "beleid.txt", docV1+"\nNieuw.\n")
	if res, err := in.AddFile(ctx, again, knowledge.Meta{}); err != nil || res.Slug != "beleid-nog-ergens" || res.Action != knowledge.Added {
		t.Errorf("adding the name from a third place: %+v %v", res, err)
	}
	// without a synced folder of that name: one document, updated
	a := writeFile(t, elsewhere, "route.txt", docV1)
	b := writeFile(t, third, "route.txt", docV2)
	if res, err := in.AddFile(ctx, a, knowledge.Meta{}); err != nil || res.Slug != "route" || res.Action != knowledge.Added {
		t.Fatalf("route from downloads: %+v %v", res, err)
	}
	if res, err := in.AddFile(ctx, b, knowledge.Meta{}); err != nil || res.Slug != "route" || res.Action != knowledge.Updated {
		t.Errorf("route from elsewhere: %+v %v", res, err)
	}
}
