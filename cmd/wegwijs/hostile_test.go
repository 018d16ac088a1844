package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wegwijs/wegwijs/cmd/wegwijs/internal/devdb"
	"github.com/wegwijs/wegwijs/knowledge/knowledgetest"
	"github.com/wegwijs/wegwijs/retrieval/postgres"
)

// Fault injection at the command line: hostile files, a database that
// dies mid-sync, a reader that hangs, an interrupted sync, two syncs at
// once. Each checks what the user reads (Dutch, no internal English), the
// exit code, and the knowledge base afterwards (checkState).

// sampleCopy copies the bundled sample (documents, sources.yaml,
// glossary) into a new folder.
func sampleCopy(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "kennisbank")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(sampleDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(sampleDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// englishInternals are words of Go, pgx and PostgreSQL errors that must
// never reach a beleidsmedewerker.
var englishInternals = []string{"error", "failed", "invalid", "unexpected", "context canceled", "SQLSTATE", "EOF", "signal:", "panic", "goroutine", "replace ", "extract "}

func assertDutch(t *testing.T, what, s string) {
	t.Helper()
	for _, w := range englishInternals {
		if strings.Contains(strings.ToLower(s), strings.ToLower(w)) {
			t.Errorf("%s holds %q:\n%s", what, w, s)
		}
	}
}

// checkState checks the knowledge base after a run: kb list names the
// documents, every document has passages and none passes the cap, the
// search statistics match the documents, and a known question is answered.
func checkState(t *testing.T, env map[string]string, want ...string) {
	t.Helper()
	out, stderr, err := cliRun(t, env, "", "kb", "list")
	if err != nil {
		t.Fatalf("kb list: %v %s", err, stderr)
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("kb list lacks %s:\n%s", w, out)
		}
	}
	ctx := context.Background()
	s, err := postgres.Open(ctx, env["DATABASE_URL"], nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	recs, err := s.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.Chunks == 0 {
			t.Errorf("%s has no passages", r.Slug)
		}
	}
	var longest int
	if err := s.Pool().QueryRow(ctx, `SELECT coalesce(max(char_length(text)), 0) FROM chunks`).Scan(&longest); err != nil {
		t.Fatal(err)
	}
	if longest > 2000 {
		t.Errorf("a passage of %d characters", longest)
	}
	var orphans int
	s.Pool().QueryRow(ctx, `SELECT count(*) FROM chunks c JOIN documents d ON d.id = c.document_id WHERE NOT d.active`).Scan(&orphans)
	if orphans > 0 {
		t.Errorf("%d passages of inactive versions", orphans)
	}
	if err := s.VerifyStats(ctx); err != nil {
		t.Error(err)
	}
	out, _, err = cliRun(t, env, "", "ask", "--json", "wie is aan zet bij absoluut verzuim?")
	if err != nil {
		t.Fatal(err)
	}
	var r JSONReply
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.Abstained || len(r.Citations) == 0 {
		t.Errorf("the known question is not answered: %v %+v", err, r)
	}
}

func writeBytes(t *testing.T, p string, b []byte) {
	t.Helper()
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestSyncHostileCorpus syncs the sample with a corpus of hostile files
// beside it: zip bombs of four kinds, broken PDFs, a one-line file, binary
// junk, odd names, symbolic link loops, a pipe. The good files are added,
// each bad one is refused with its own Dutch reason, the odd ones are
// skipped with a note, and the sync ends with exit code 1 (some failed).
func TestSyncHostileCorpus(t *testing.T) {
	env := cliEnv(t)
	dir := sampleCopy(t)
	p := func(name string) string { return filepath.Join(dir, name) }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(knowledgetest.DocxBomb(p("bom.docx"), 4<<30, false))
	must(knowledgetest.DocxBomb(p("liegende-bom.docx"), 1<<30, true))
	must(knowledgetest.DocxManyMembers(p("duizenden-delen.docx"), 20_000))
	must(knowledgetest.DocxNested(p("genest.docx"), t.TempDir()))
	truncated, _ := os.ReadFile("../../knowledge/pdf/testdata/truncated.pdf")
	writeBytes(t, p("afgebroken.pdf"), truncated)
	whole, _ := os.ReadFile("../../knowledge/pdf/testdata/beleid.pdf")
	writeBytes(t, p("half.pdf"), whole[:len(whole)/2])
	// one line without a full stop (of words no question here asks for: the
	// same verzuim sentences 300 times over would crowd the answers out)
	writeBytes(t, p("een-regel.txt"), []byte(strings.Repeat("de kantine is open van acht tot vier en de koffie is gratis voor iedereen ", 2500)))
	kantine := strings.Repeat("de kantine is open van acht tot vier en de koffie is gratis voor iedereen ", 2500)
	must(knowledgetest.WriteDocx(p("lange-alinea.docx"), kantine))
	writeBytes(t, p("lange-kop.html"), []byte("<html><head><title>Kantine</title></head><body><article><h1>"+
		strings.Repeat("Kantine ", 5000)+"</h1><p>"+kantine+"</p></article></body></html>"))
	must(knowledgetest.WriteJunk(p("plaatje.txt"), 64<<10))
	writeBytes(t, p("leeg.txt"), nil)
	for _, name := range []string{"één-loket.txt", "日本語.txt", "😀.txt"} {
		writeBytes(t, p(name), []byte("Het loket\n\nBij het loket meldt de school elke leerling die langer dan vier weken thuis zit.\n"))
	}
	must(os.Symlink(dir, p("lus")))
	must(os.Symlink(filepath.Dir(dir), p("naar-boven")))
	must(os.Symlink("zichzelf", p("zichzelf")))
	must(os.Symlink("weg.txt", p("kapot.txt")))
	must(syscall.Mkfifo(p("pijp.txt"), 0o644))

	start := time.Now()
	out, stderr, err := cliRun(t, env, "", "kb", "sync", dir)
	t.Logf("sync of the hostile corpus in %v:\n%s", time.Since(start).Round(time.Millisecond), out)
	if err == nil || exitCode(err) != 1 || userMessage(err) != "" {
		t.Fatalf("want exit code 1 after printing the failures, got %v (%q)", err, userMessage(err))
	}
	for _, want := range []string{
		"Toegevoegd: praktijkkaart-thuiszitters",
		"Toegevoegd: een-loket", "Toegevoegd: 日本語", "Toegevoegd: document-f0443a34", "Toegevoegd: een-regel",
		"Toegevoegd: lange-alinea", "Toegevoegd: lange-kop",
		"bom.docx wordt te groot als ik het uitpak of lees (meer dan 200 MB uitgepakt)",
		"liegende-bom.docx is beschadigd",
		"duizenden-delen.docx wordt te groot als ik het uitpak of lees (het is een archief met meer dan 10000 onderdelen)",
		"genest.docx is beschadigd",
		"afgebroken.pdf is beschadigd", "half.pdf is beschadigd",
		"plaatje.txt lijkt geen tekst te bevatten",
		"leeg.txt is leeg",
		"Overgeslagen: lus is een snelkoppeling naar een map; die volg ik niet",
		"Overgeslagen: naar-boven is een snelkoppeling naar een map",
		"Overgeslagen: zichzelf is een snelkoppeling (symbolische link) die nergens naar verwijst",
		"Overgeslagen: kapot.txt is een snelkoppeling",
		"Overgeslagen: pijp.txt is geen gewoon bestand",
		"11 toegevoegd", "8 mislukt, 5 overgeslagen.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	assertDutch(t, "sync output", out)
	assertDutch(t, "stderr", stderr)
	if took := time.Since(start); took > 90*time.Second {
		t.Errorf("the sync took %v", took)
	}
	checkState(t, env, "praktijkkaart-thuiszitters", "een-loket", "日本語", "document-f0443a34", "een-regel")

	// Again: nothing changes, the same files fail.
	out, _, err = cliRun(t, env, "", "kb", "sync", dir)
	if exitCode(err) != 1 || !strings.Contains(out, "0 toegevoegd, 0 bijgewerkt, 11 ongewijzigd, 0 verwijderd, 8 mislukt") {
		t.Errorf("second sync: %v\n%s", err, out)
	}

	// kb add of a bomb: the same Dutch reason on stderr, exit code 1.
	_, stderr, err = cliRun(t, env, "", "kb", "add", p("bom.docx"))
	if exitCode(err) != 1 || !strings.Contains(stderr, "bom.docx wordt te groot als ik het uitpak") {
		t.Errorf("kb add of the bomb: %v %q", err, stderr)
	}
	assertDutch(t, "kb add stderr", stderr)
}

// A reader that hangs (a fake pdftotext on PATH) is stopped at its
// deadline; the sync refuses that PDF in Dutch and goes on.
func TestSyncHangingReader(t *testing.T) {
	tools := t.TempDir()
	if err := os.WriteFile(filepath.Join(tools, "pdftotext"), []byte("#!/bin/sh\nexec sleep 600\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", tools+":"+os.Getenv("PATH"))
	env := cliEnv(t)
	env["WEGWIJS_TOOL_TIMEOUT"] = "1s"
	dir := sampleCopy(t)
	b, _ := os.ReadFile("../../knowledge/pdf/testdata/beleid.pdf")
	writeBytes(t, filepath.Join(dir, "beleid.pdf"), b)
	start := time.Now()
	out, stderr, err := cliRun(t, env, "", "kb", "sync", dir)
	if exitCode(err) != 1 || !strings.Contains(out, "beleid.pdf kon ik niet lezen: het leesprogramma had er te veel tijd of geheugen voor nodig (het lezen duurde langer dan 1 seconde)") ||
		!strings.Contains(out, "5 toegevoegd") {
		t.Fatalf("%v\n%s", err, out)
	}
	if took := time.Since(start); took > 60*time.Second {
		t.Errorf("took %v", took)
	}
	assertDutch(t, "output", out+stderr)
	checkState(t, env, "praktijkkaart-thuiszitters")
}

// Ctrl-C in the middle of a sync: the user reads that it stopped and what
// was done; the next sync does the rest and repairs the statistics.
func TestSyncInterrupted(t *testing.T) {
	env := cliEnv(t)
	dir := sampleCopy(t)
	for i := range 12 {
		if err := knowledgetest.WriteText(filepath.Join(dir, "extra-"+strconv.Itoa(i)+".txt"), 40<<10+int64(i)); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb strings.Builder
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"kb", "sync", dir}, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errb)
	}()
	waitForDocuments(t, env["DATABASE_URL"], 3)
	cancel()
	err := <-done
	if err == nil {
		t.Skip("the sync finished before it was interrupted")
	}
	if msg := userMessage(err); !strings.HasPrefix(msg, "Gestopt.") {
		t.Errorf("message %q (%v)", msg, err)
	}
	assertDutch(t, "output", out.String()+errb.String()+userMessage(err))
	if !strings.Contains(out.String(), "De sync is afgebroken. Wat hierboven staat, is wel gedaan.") {
		t.Errorf("output:\n%s", out.String())
	}
	o, _, err := cliRun(t, env, "", "kb", "sync", dir)
	if err != nil || !strings.Contains(o, "0 mislukt") {
		t.Fatalf("the next sync: %v\n%s", err, o)
	}
	checkState(t, env, "praktijkkaart-thuiszitters", "extra-11")
}

// waitForDocuments waits until the database holds n active documents.
func waitForDocuments(t *testing.T, dsn string, n int) {
	t.Helper()
	ctx := context.Background()
	s, err := postgres.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		var got int
		if err := s.Pool().QueryRow(ctx, `SELECT count(*) FROM documents WHERE active`).Scan(&got); err == nil && got >= n {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no %d documents after a minute", n)
}

// privateDB starts a PostgreSQL of the test's own with the project's
// dev-database code: the shared test server must never be stopped.
func privateDB(t *testing.T) (devdb.Config, string) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a PostgreSQL server; skipped under -short")
	}
	dir := t.TempDir()
	if os.Geteuid() == 0 { // the postgres system user must reach it
		for _, d := range []string{filepath.Dir(dir), dir} {
			if err := os.Chmod(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	cfg := devdb.Config{Dir: filepath.Join(dir, "pg")}
	dsn, err := devdb.Start(context.Background(), cfg)
	if errors.Is(err, devdb.ErrNoPostgres) && os.Getenv("WEGWIJS_REQUIRE_DB") == "" {
		t.Skipf("no PostgreSQL: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { devdb.Stop(context.Background(), cfg) })
	return cfg, dsn
}

// crash kills every process of the private database at once (kill -9):
// the postmaster and its backends, found by their working directory.
func crash(t *testing.T, cfg devdb.Config) {
	t.Helper()
	data, _ := filepath.EvalSymlinks(filepath.Join(cfg.Dir, "data"))
	ents, _ := os.ReadDir("/proc")
	var killed []int
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if cwd, err := os.Readlink("/proc/" + e.Name() + "/cwd"); err == nil && cwd == data {
			if syscall.Kill(pid, syscall.SIGKILL) == nil {
				killed = append(killed, pid)
			}
		}
	}
	if len(killed) == 0 {
		t.Fatal("no process of the private database found")
	}
	// wait until they are dead (gone, or zombies nobody has reaped yet)
	for _, pid := range killed {
		for i := 0; i < 500; i++ {
			b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
			if err != nil {
				break
			}
			if end := strings.LastIndexByte(string(b), ')'); end > 0 && end+2 < len(b) && (b[end+2] == 'Z' || b[end+2] == 'X') {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// The database dies in the middle of a sync (every process killed): the
// user reads in Dutch that the database cannot be reached and what was
// done; after a restart the next sync finishes the work, and nothing half
// stored is left behind.
func TestSyncDatabaseKilled(t *testing.T) {
	cfg, dsn := privateDB(t)
	env := map[string]string{"DATABASE_URL": dsn, "HOME": t.TempDir()}
	dir := sampleCopy(t)
	for i := range 12 {
		if err := knowledgetest.WriteText(filepath.Join(dir, "extra-"+strconv.Itoa(i)+".txt"), 60<<10+int64(i)); err != nil {
			t.Fatal(err)
		}
	}
	var out, errb strings.Builder
	done := make(chan error, 1)
	go func() {
		done <- run(context.Background(), []string{"kb", "sync", dir}, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errb)
	}()
	waitForDocuments(t, dsn, 3)
	crash(t, cfg)
	var err error
	select {
	case err = <-done:
	case <-time.After(2 * time.Minute):
		t.Fatal("the sync did not end after the database died")
	}
	if err == nil {
		t.Fatalf("the sync succeeded with the database gone:\n%s", out.String())
	}
	msg := userMessage(err)
	if !strings.Contains(msg, "de database is niet bereikbaar") || exitCode(err) != 1 {
		t.Errorf("message %q, exit code %d (%v)", msg, exitCode(err), err)
	}
	assertDutch(t, "output", out.String()+errb.String()+msg)
	t.Logf("the user read:\n%s%s\n%s", out.String(), errb.String(), msg)

	if _, err := devdb.Start(context.Background(), cfg); err != nil {
		t.Fatalf("restart: %v", err)
	}
	o, _, err := cliRun(t, env, "", "kb", "sync", dir)
	if err != nil || !strings.Contains(o, "0 mislukt") {
		t.Fatalf("the sync after the restart: %v\n%s", err, o)
	}
	checkState(t, env, "praktijkkaart-thuiszitters", "extra-0", "extra-11")
}

// The database dies while kb add stores a long document: a Dutch message,
// and nothing of the document is stored.
func TestAddDatabaseKilled(t *testing.T) {
	cfg, dsn := privateDB(t)
	env := map[string]string{"DATABASE_URL": dsn, "HOME": t.TempDir()}
	p := filepath.Join(t.TempDir(), "lang.txt")
	if err := knowledgetest.WriteText(p, 600<<10); err != nil {
		t.Fatal(err)
	}
	if _, _, err := cliRun(t, env, "", "db", "migrate"); err != nil {
		t.Fatal(err)
	}
	var out, errb strings.Builder
	done := make(chan error, 1)
	go func() {
		done <- run(context.Background(), []string{"kb", "add", p}, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errb)
	}()
	time.Sleep(1500 * time.Millisecond)
	crash(t, cfg)
	err := <-done
	if err == nil {
		t.Skip("kb add finished before the database died")
	}
	if msg := userMessage(err); !strings.Contains(msg, "de database is niet bereikbaar") {
		t.Errorf("message %q (%v)", msg, err)
	}
	assertDutch(t, "output", out.String()+errb.String()+userMessage(err))
	if _, err := devdb.Start(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	o, _, _ := cliRun(t, env, "", "kb", "list")
	if !strings.Contains(o, "leeg") {
		t.Errorf("a half-stored document after the crash:\n%s", o)
	}
}

// Two syncs of one folder at once both succeed, and the documents are
// stored once: the second waits for the first.
func TestConcurrentSyncs(t *testing.T) {
	env := cliEnv(t)
	var wg sync.WaitGroup
	outs := make([]string, 2)
	errs := make([]error, 2)
	for i := range 2 {
		wg.Go(func() { outs[i], _, errs[i] = cliRun(t, env, "", "kb", "sync", sampleDir) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	both := outs[0] + outs[1]
	if strings.Count(both, "Toegevoegd:") != 5 || strings.Contains(both, "Bijgewerkt:") {
		t.Errorf("the two syncs did the work twice:\n%s\n%s", outs[0], outs[1])
	}
	ctx := context.Background()
	s, err := postgres.Open(ctx, env["DATABASE_URL"], nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var versions int
	s.Pool().QueryRow(ctx, `SELECT count(*) FROM documents`).Scan(&versions)
	if versions != 5 {
		t.Errorf("%d document versions, want 5", versions)
	}
	checkState(t, env, "praktijkkaart-thuiszitters")
}

// Ctrl-C while kb add stores a long document: "Gestopt.", and nothing of
// the document is stored.
func TestAddInterrupted(t *testing.T) {
	env := cliEnv(t)
	p := filepath.Join(t.TempDir(), "lang.txt")
	if err := knowledgetest.WriteText(p, 600<<10); err != nil {
		t.Fatal(err)
	}
	if _, _, err := cliRun(t, env, "", "db", "migrate"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb strings.Builder
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"kb", "add", p}, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errb)
	}()
	time.Sleep(time.Second)
	cancel()
	err := <-done
	if err == nil {
		t.Skip("kb add finished before it was interrupted")
	}
	if msg := userMessage(err); !strings.HasPrefix(msg, "Gestopt.") {
		t.Errorf("message %q (%v)", msg, err)
	}
	assertDutch(t, "output", out.String()+errb.String())
	if o, _, _ := cliRun(t, env, "", "kb", "list"); !strings.Contains(o, "leeg") {
		t.Errorf("a half-stored document:\n%s", o)
	}
}

// A sources.yaml or glossary.yaml that does not parse stops the sync with
// a Dutch message naming the file and the line, not a YAML parser's
// English.
func TestSyncBadSettingsFile(t *testing.T) {
	env := cliEnv(t)
	for _, tt := range []struct{ file, body, want string }{
		{"sources.yaml", "documents:\n  a.txt:\n    title: [kapot\n", "sources.yaml klopt niet, dus ik kan het niet lezen (regel "},
		{"sources.yaml", "documents:\n  a.txt:\n    date: gisteren\n", "sources.yaml klopt niet, dus ik kan het niet lezen"},
		{"glossary.yaml", "concepts:\n  - id: lpa\n", "glossary.yaml klopt niet, dus ik kan het niet lezen (regel 2)"},
	} {
		dir := t.TempDir()
		writeBytes(t, filepath.Join(dir, "a.txt"), []byte("Rol van de mentor\n\nDe mentor belt de ouders op de eerste dag van het verzuim.\n"))
		writeBytes(t, filepath.Join(dir, tt.file), []byte(tt.body))
		_, stderr, err := cliRun(t, env, "", "kb", "sync", dir)
		msg := userMessage(err)
		if exitCode(err) != 1 || !strings.Contains(msg, tt.want) {
			t.Errorf("%s %q: %q (%v)", tt.file, tt.body, msg, err)
		}
		assertDutch(t, "message", msg+stderr)
	}
}
