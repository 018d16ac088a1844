package main

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wegwijs/wegwijs/knowledge"
)

// testLibrary is the library serve builds, on a fresh knowledge base with
// the sample, checking drafts with the project's main question set.
func testLibrary(t *testing.T, extra ...string) *library {
	t.Helper()
	vars := syncedEnv(t)
	for i := 0; i+1 < len(extra); i += 2 {
		vars[extra[i]] = extra[i+1]
	}
	getenv := func(k string) string { return vars[k] }
	cfg, err := loadConfig(getenv)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	e := &env{cfg: cfg, getenv: getenv, stdin: strings.NewReader(""), stdout: &logs, stderr: &logs, log: newLogger(&logs, cfg)}
	ctx := context.Background()
	s, err := e.openStore(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	in, err := e.ingester(s)
	if err != nil {
		t.Fatal(err)
	}
	sets, err := loadCheckSets("../../eval/testdata/questions.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return &library{store: s, in: in, check: e.draftCheck(s, sets)}
}

// A shortened edition of a sample document is checked with the questions
// about it: some get worse, none better, and the live version stays.
func TestDraftCheck(t *testing.T) {
	lib := testLibrary(t)
	ctx := context.Background()
	full, err := os.ReadFile(filepath.Join(sampleDir, "praktijkkaart-thuiszitters.txt"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "upload")
	os.WriteFile(p, full[:len(full)/5], 0o644)
	start := time.Now()
	d, err := lib.Draft(ctx, "praktijkkaart-thuiszitters.txt", p, "", knowledge.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("draft and check: %.1f s", time.Since(start).Seconds())
	ch := d.Check
	if d.Replaces != 1 || ch == nil || ch.Failed || ch.Questions < 10 || len(ch.Worse) == 0 || ch.WithoutOldDocs {
		t.Fatalf("draft %+v, check %+v", d, ch)
	}
	t.Logf("%d questions: %d worse, %d better, %d unchanged; first worse: %s", ch.Questions, len(ch.Worse), len(ch.Better), ch.Unchanged, ch.Worse[0])
	if live, err := lib.store.Document(ctx, "praktijkkaart-thuiszitters"); err != nil || live.Version != 1 {
		t.Errorf("the live version changed: %+v %v", live, err)
	}
}

// drafts counts the drafts waiting.
func drafts(t *testing.T, lib *library) int {
	t.Helper()
	ds, err := lib.store.Drafts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(ds)
}

// Bad input sent in a chat gets the Dutch reason and leaves the knowledge
// base as it was: a corrupt PDF, a zip posing as a Word file, a document
// with pupil data, a link that is not there, one that never stops
// sending, one that answers too slowly.
func TestDraftBadInput(t *testing.T) {
	slow := make(chan struct{})
	t.Cleanup(func() { close(slow) })
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/eindeloos.txt":
			w.Header().Set("Content-Type", "text/plain")
			chunk := bytes.Repeat([]byte("verzuim "), 8<<10)
			for r.Context().Err() == nil {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		case "/traag":
			select {
			case <-slow:
			case <-r.Context().Done():
			}
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	lib := testLibrary(t, "WEGWIJS_MAX_FILE_MB", "1", "WEGWIJS_FETCH_ALLOW", "127.0.0.1")
	lib.in.HTTP.Timeout = 2 * time.Second
	ctx := context.Background()
	before, err := lib.store.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	var zipped bytes.Buffer
	z := zip.NewWriter(&zipped)
	w, _ := z.Create("foto.jpg")
	w.Write(bytes.Repeat([]byte{0xff}, 1000))
	z.Close()
	for _, tc := range []struct {
		name, path, url string
		want            knowledge.Problem
	}{
		{"kapot.pdf", write("a.pdf", []byte("%PDF-1.7\n1 0 obj <<>> kapot")), "", knowledge.Corrupt},
		{"beleid.docx", write("b.docx", zipped.Bytes()), "", knowledge.Corrupt},
		{"verslag.txt", write("c.txt", []byte("Verslag van het gesprek met Noor Bakker, BSN 111222333, geboren 3 maart 2012, over haar verzuim.")), "", knowledge.PupilData},
		{"link", "", srv.URL + "/bestaat-niet.pdf", knowledge.Unreachable},
		{"link", "", srv.URL + "/eindeloos.txt", knowledge.TooLarge},
		{"link", "", srv.URL + "/traag", knowledge.Unreachable},
	} {
		_, err := lib.Draft(ctx, tc.name, tc.path, tc.url, knowledge.Meta{})
		ie, ok := knowledge.AsInputError(err)
		if !ok || ie.Problem != tc.want {
			t.Errorf("%s%s: %v, want %s", tc.name, tc.url, err, (&knowledge.InputError{Problem: tc.want}).ProblemName())
			continue
		}
		if msg := ie.Dutch(); strings.Contains(msg, "111222333") || strings.Contains(msg, "Noor") || msg == "" {
			t.Errorf("%s: %q", tc.name, msg)
		}
	}
	after, err := lib.store.List(ctx)
	if err != nil || len(after) != len(before) || drafts(t, lib) != 0 {
		t.Errorf("the knowledge base changed: %d documents before, %d after, %d drafts", len(before), len(after), drafts(t, lib))
	}
}

// A link becomes a draft like a file: its page read, its address kept as
// the document's link, nothing answering until it is activated.
func TestDraftFromLink(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><html><head><title>Verzuimprotocol Kompas College</title></head><body><main>
<h1>Verzuimprotocol Kompas College</h1><h2>De verzuimcoach</h2>
<p>De verzuimcoach van het Kompas College belt de ouders binnen twee werkdagen na de eerste melding van verzuim.</p>
<h2>De leerplichtambtenaar</h2><p>Bij zorgwekkend verzuim meldt de school dit na drie weken bij de leerplichtambtenaar.</p>
</main></body></html>`)
	}))
	t.Cleanup(srv.Close)
	lib := testLibrary(t, "WEGWIJS_FETCH_ALLOW", "127.0.0.1")
	ctx := context.Background()
	d, err := lib.Draft(ctx, "", "", srv.URL+"/protocol", knowledge.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	r := d.Record
	if r.Meta.Title != "Verzuimprotocol Kompas College" || r.Meta.URL != srv.URL+"/protocol" || r.Chunks == 0 || d.Replaces != 0 {
		t.Errorf("draft %+v", d)
	}
	if len(d.Headings) == 0 || !strings.Contains(strings.Join(d.Headings, "|"), "De verzuimcoach") {
		t.Errorf("headings %q", d.Headings)
	}
	if !slices.Contains(d.Concepts, "LPA (leerplichtambtenaar)") {
		t.Errorf("concepts %q", d.Concepts)
	}
	if _, err := lib.store.Document(ctx, r.Slug); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("a draft from a link answers: %v", err)
	}
	if _, err := lib.Activate(ctx, r.Slug, r.Version); err != nil {
		t.Fatal(err)
	}
	if rec, err := lib.store.Document(ctx, r.Slug); err != nil || rec.Meta.URL != srv.URL+"/protocol" {
		t.Errorf("activated: %+v %v", rec, err)
	}
}
