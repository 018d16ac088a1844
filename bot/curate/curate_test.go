package curate

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wegwijs/wegwijs/knowledge"
)

// library records what the curator asks of the knowledge base; the store
// behind the real one has its own tests against PostgreSQL.
type library struct {
	drafts  []string // name|content
	draft   Draft
	err     error
	audit   []Entry
	actions []string
}

func (l *library) Sources(ctx context.Context) ([]knowledge.Record, error) {
	return []knowledge.Record{{Slug: "routeboek", Version: 2, Chunks: 40, Meta: knowledge.Meta{Title: "Routeboek"}}}, nil
}

func (l *library) Draft(ctx context.Context, name, path, url string, meta knowledge.Meta) (Draft, error) {
	l.drafts = append(l.drafts, name+"|"+path+url)
	return l.draft, l.err
}

func (l *library) Activate(ctx context.Context, slug string, version int) (knowledge.Record, error) {
	l.actions = append(l.actions, fmt.Sprintf("activate %s@%d", slug, version))
	return knowledge.Record{Slug: slug, Version: version, Meta: knowledge.Meta{Title: "Routeboek"}}, l.err
}

func (l *library) Adopt(ctx context.Context, slug string, version int, target string) (knowledge.Record, error) {
	l.actions = append(l.actions, fmt.Sprintf("adopt %s@%d>%s", slug, version, target))
	return knowledge.Record{Slug: target, Version: 3}, l.err
}

func (l *library) Cancel(ctx context.Context, slug string, version int) error {
	l.actions = append(l.actions, fmt.Sprintf("cancel %s@%d", slug, version))
	return l.err
}

func (l *library) Edit(ctx context.Context, slug string, version int, title, region string) (knowledge.Record, error) {
	l.actions = append(l.actions, fmt.Sprintf("edit %s@%d %q %q", slug, version, title, region))
	return knowledge.Record{Slug: slug, Version: version, Meta: knowledge.Meta{Title: title, Region: region}}, l.err
}

func (l *library) Remove(ctx context.Context, slug string) (knowledge.Record, error) {
	l.actions = append(l.actions, "remove "+slug)
	return knowledge.Record{Slug: slug, Version: 2, Meta: knowledge.Meta{Title: "Routeboek"}}, l.err
}

func (l *library) Restore(ctx context.Context, slug string) (knowledge.Record, error) {
	l.actions = append(l.actions, "restore "+slug)
	return knowledge.Record{Slug: slug, Version: 1, Meta: knowledge.Meta{Title: "Routeboek"}}, l.err
}

func (l *library) Audit(ctx context.Context, e Entry) error { l.audit = append(l.audit, e); return nil }

func (l *library) AuditLog(ctx context.Context, limit int) ([]Entry, error) { return l.audit, nil }

func (l *library) Gaps(ctx context.Context, days, limit int) ([]Gap, int, error) {
	return []Gap{{Topic: "boete", Questions: 1, Examples: []string{"hoe hoog is de boete?"}}}, 1, nil
}

func (l *library) Feedback(ctx context.Context) ([]DocumentVotes, error) { return nil, nil }

var (
	keeper   = Actor{Platform: "mattermost", User: "u-keeper", Channel: "dm"}
	stranger = Actor{Platform: "mattermost", User: "u-other", Channel: "dm"}
)

func newCurator(lib *library) *Curator {
	return &Curator{Library: lib, MaxBytes: 1 << 20, TempDir: "",
		Policy: Policy{Users: map[string][]string{"mattermost": {"u-keeper"}}, Channels: map[string]string{"slack": "C-beheer"}, Contact: "Fatima"}}
}

func file(name string, content []byte) File {
	return File{Name: name, Size: int64(len(content)), Open: func(context.Context) (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(content)), nil
	}}
}

func TestPolicy(t *testing.T) {
	p := newCurator(&library{}).Policy
	for _, tc := range []struct {
		a    Actor
		want bool
	}{
		{keeper, true},
		{stranger, false},
		{Actor{Platform: "slack", User: "u-keeper", Channel: "dm"}, false}, // an id of one platform means nothing on another
		{Actor{Platform: "slack", User: "U1", Channel: "C-beheer"}, true},
		{Actor{Platform: "mattermost", User: "U1", Channel: "C-beheer"}, false},
		{Actor{Platform: "mattermost", User: "", Channel: ""}, false},
	} {
		if got := p.Allows(tc.a); got != tc.want {
			t.Errorf("Allows(%+v) = %v", tc.a, got)
		}
	}
	if (Policy{}).Configured() || !p.Configured() {
		t.Error("Configured")
	}
}

// Someone not named gets a polite refusal naming who can help; nothing
// is read, and the refusal is in the audit log.
func TestRefusal(t *testing.T) {
	lib := &library{}
	c := newCurator(lib)
	opened := false
	f := File{Name: "x.pdf", Size: 10, Open: func(context.Context) (io.ReadCloser, error) { opened = true; return nil, errors.New("no") }}
	r := c.Upload(context.Background(), stranger, f)
	if !r.Private || !strings.Contains(r.Text, "Fatima") || opened || len(lib.drafts) != 0 {
		t.Errorf("refusal %+v, opened %v, drafts %v", r, opened, lib.drafts)
	}
	for _, cmd := range []string{"bron verwijderen routeboek", "logboek", "hiaten", "bron toevoegen https://example.nl/x.pdf"} {
		if r := c.Command(context.Background(), stranger, cmd); !strings.Contains(r.Text, "alleen een beleidsmedewerker") {
			t.Errorf("%s by a stranger: %q", cmd, r.Text)
		}
	}
	if r := c.Click(context.Background(), stranger, ActionActivate, "routeboek@3"); !strings.Contains(r.Text, "alleen") || len(lib.actions) != 0 {
		t.Errorf("a stranger's click: %+v %v", r, lib.actions)
	}
	if len(lib.audit) == 0 || lib.audit[0].Action != "upload" || lib.audit[0].Outcome != "denied" || lib.audit[0].Actor != "u-other" {
		t.Errorf("audit %+v", lib.audit)
	}
	if r := c.Command(context.Background(), stranger, "bronnen"); !strings.Contains(r.Text, "Routeboek") {
		t.Errorf("everyone may list the sources: %q", r.Text)
	}
	none := &Curator{Library: lib}
	if r := none.Upload(context.Background(), keeper, f); !strings.Contains(r.Text, "niet ingesteld") {
		t.Errorf("with nobody configured: %q", r.Text)
	}
}

func docx(t *testing.T) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, name := range []string{"[Content_Types].xml", "word/document.xml"} {
		w, _ := z.Create(name)
		w.Write([]byte("<x/>"))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The type is told by the content: a disguised file is refused before it
// reaches the ingester; a file over the limit is not even fetched.
func TestUploadChecks(t *testing.T) {
	otherZip := func() []byte {
		var b bytes.Buffer
		z := zip.NewWriter(&b)
		w, _ := z.Create("foto.jpg")
		w.Write([]byte("jpeg"))
		z.Close()
		return b.Bytes()
	}()
	for _, tc := range []struct {
		name    string
		content []byte
		want    string // the extension the ingester sees; "" refused
	}{
		{"beleid.pdf", []byte("%PDF-1.7\n..."), ".pdf"},
		{"beleid.docx", docx(t), ".docx"},
		{"zonder-naam", docx(t), ".docx"},
		{"beleid.pdf", []byte("MZ\x90\x00\x03\x00\x00\x00program"), ""}, // a program named .pdf
		{"beleid.docx", otherZip, ".docx"},                              // a zip named .docx: the DOCX reader says it is none
		{"foto.pdf", otherZip, ""},
		{"pagina.html", []byte("<!DOCTYPE html><html><body>x</body></html>"), ".html"},
		{"notities.md", []byte("# Kop\n\ntekst"), ".md"},
		{"notities", []byte("Gewone tekst over verzuim."), ".txt"},
		{"plaatje.png", []byte("\x89PNG\r\n\x1a\n\x00\x00"), ""},
	} {
		lib := &library{draft: Draft{Record: knowledge.Record{Slug: "beleid", Version: 1}}}
		r := newCurator(lib).Upload(context.Background(), keeper, file(tc.name, tc.content))
		switch {
		case tc.want == "" && len(lib.drafts) != 0:
			t.Errorf("%s (%q…): reached the ingester", tc.name, tc.content[:4])
		case tc.want == "" && !strings.Contains(r.Text, "geen PDF, Word"):
			t.Errorf("%s: refusal %q", tc.name, r.Text)
		case tc.want != "" && (len(lib.drafts) != 1 || !strings.HasSuffix(lib.drafts[0], tc.want) || !strings.HasPrefix(lib.drafts[0], tc.name+"|")):
			t.Errorf("%s: drafts %v, want a file ending in %s", tc.name, lib.drafts, tc.want)
		}
	}
	lib := &library{}
	opened := false
	big := File{Name: "groot.pdf", Size: 200 << 20, Open: func(context.Context) (io.ReadCloser, error) { opened = true; return nil, nil }}
	if r := newCurator(lib).Upload(context.Background(), keeper, big); opened || !strings.Contains(r.Text, "te groot (200 MB)") || !strings.Contains(r.Text, "tot 1 MB") {
		t.Errorf("200 MB: opened %v, %q", opened, r.Text)
	}
	// the platform said it was small, but it is not
	lying := File{Name: "klein.txt", Size: 10, Open: func(context.Context) (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(make([]byte, 2<<20))), nil
	}}
	if r := newCurator(lib).Upload(context.Background(), keeper, lying); !strings.Contains(r.Text, "te groot") || len(lib.drafts) != 0 {
		t.Errorf("a file larger than announced: %q", r.Text)
	}
	refused := File{Name: "x.pdf", Size: 10, Open: func(context.Context) (io.ReadCloser, error) { return nil, errors.New("403") }}
	if r := newCurator(lib).Upload(context.Background(), keeper, refused); !strings.Contains(r.Text, "niet ophalen") {
		t.Errorf("a file the platform keeps: %q", r.Text)
	}
	lib.err = &knowledge.InputError{Name: "x.pdf", Problem: knowledge.PupilData, Detail: "een BSN in de tekst"}
	r := newCurator(lib).Upload(context.Background(), keeper, file("x.pdf", []byte("%PDF-1.4")))
	if !strings.Contains(r.Text, "BSN") || len(r.Buttons) != 0 {
		t.Errorf("pupil data: %+v", r)
	}
	if last := lib.audit[len(lib.audit)-1]; last.Action != "refuse" || last.Outcome != "pupil_data" {
		t.Errorf("audit %+v", last)
	}
}

// What the report of a draft says and offers.
func TestDraftReport(t *testing.T) {
	worse := make([]string, 12)
	for i := range worse {
		worse[i] = fmt.Sprintf("„vraag %d”", i)
	}
	d := Draft{Record: knowledge.Record{Slug: "routeboek-2026", Version: 1, Chunks: 41, Pages: 12, Meta: knowledge.Meta{Title: "Routeboek", Region: "Twente"}},
		Headings: []string{"Inleiding", "Absoluut verzuim"}, Concepts: []string{"leerplichtambtenaar"},
		SameAs: &knowledge.Record{Slug: "routeboek", Version: 2, Meta: knowledge.Meta{Title: "Routeboek"}},
		Check:  &Check{Questions: 20, Worse: worse, Unchanged: 8}}
	lib := &library{draft: d}
	r := newCurator(lib).Upload(context.Background(), keeper, file("routeboek-2026.txt", []byte("tekst")))
	for _, want := range []string{"Nieuw document als concept", "12 pagina's", "41 passages", "Inleiding · Absoluut verzuim", "leerplichtambtenaar",
		"met dezelfde titel of link", "0 beter, 12 slechter, 8 gelijk", "en nog 7 vragen slechter", "voordat je het live zet"} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("the report lacks %q:\n%s", want, r.Text)
		}
	}
	if strings.Contains(r.Text, "vraag 5”") {
		t.Errorf("more than five worse questions listed:\n%s", r.Text)
	}
	if len(r.Buttons) != 3 || r.Buttons[0].Action != ActionReplace || r.Buttons[0].Value != "routeboek-2026@1>routeboek" {
		t.Fatalf("buttons %+v", r.Buttons)
	}
	out := newCurator(lib).Click(context.Background(), keeper, ActionReplace, r.Buttons[0].Value)
	if !strings.Contains(out.Text, "versie 3 van `routeboek`") || strings.Join(lib.actions, ",") != "adopt routeboek-2026@1>routeboek,activate routeboek@3" {
		t.Errorf("replace: %q %v", out.Text, lib.actions)
	}
	for _, tc := range []struct {
		check *Check
		want  string
	}{
		{nil, "WEGWIJS_CHECK_QUESTIONS"},
		{&Check{}, "geen evaluatievragen over dit document"},
		{&Check{Failed: true}, "lukte nu niet"},
		{&Check{Questions: 3, Unchanged: 3, WithoutOldDocs: true}, "de kennisbank zonder dit document: 0 beter, 0 slechter, 3 gelijk"},
	} {
		if got := draftText(Draft{Record: d.Record, Check: tc.check}); !strings.Contains(got, tc.want) {
			t.Errorf("check %+v: report lacks %q:\n%s", tc.check, tc.want, got)
		}
	}
}

// Commands and buttons reach the library with what they name.
func TestCommandsAndClicks(t *testing.T) {
	lib := &library{}
	c := newCurator(lib)
	ctx := context.Background()
	for _, tc := range []struct{ text, want string }{
		{"bron titel routeboek@3 Routeboek Twente 2026", `edit routeboek@3 "Routeboek Twente 2026" ""`},
		{"bron regio routeboek@3 Twente", `edit routeboek@3 "" "Twente"`},
		{"bron live routeboek@3", "activate routeboek@3"},
		{"bron annuleren routeboek@3", "cancel routeboek@3"},
		{"bron terugzetten routeboek", "restore routeboek"},
	} {
		lib.actions = nil
		c.Command(ctx, keeper, tc.text)
		if len(lib.actions) != 1 || lib.actions[0] != tc.want {
			t.Errorf("%s: %v, want %s", tc.text, lib.actions, tc.want)
		}
	}
	lib.actions = nil
	r := c.Command(ctx, keeper, "bron verwijderen routeboek")
	if len(lib.actions) != 0 || len(r.Buttons) != 2 || r.Buttons[0].Action != ActionRemove {
		t.Fatalf("a removal is confirmed first: %+v %v", r, lib.actions)
	}
	if r := c.Command(ctx, keeper, "bron verwijderen bestaat-niet"); !strings.Contains(r.Text, "staat niet in de kennisbank") {
		t.Errorf("unknown document: %q", r.Text)
	}
	c.Click(ctx, keeper, ActionRemove, "routeboek")
	if strings.Join(lib.actions, ",") != "remove routeboek" {
		t.Errorf("confirmed removal: %v", lib.actions)
	}
	if r := c.Click(ctx, keeper, "kb_weird", "x"); !strings.Contains(r.Text, "ken ik niet") {
		t.Errorf("an unknown button: %q", r.Text)
	}
	if r := c.Click(ctx, keeper, ActionActivate, "geen-versie"); !strings.Contains(r.Text, "naam@versie") {
		t.Errorf("a bad reference: %q", r.Text)
	}
	if r := c.Command(ctx, keeper, "bron toevoegen ftp://example.nl/x"); !strings.Contains(r.Text, "geen webadres") {
		t.Errorf("ftp: %q", r.Text)
	}
	if r := c.Command(ctx, keeper, "hiaten"); !strings.Contains(r.Text, "staat uit") || !strings.Contains(r.Text, "WEGWIJS_UNANSWERED_DAYS") {
		t.Errorf("gaps with the log off: %q", r.Text)
	}
	c.GapsDays = 28
	if r := c.Command(ctx, keeper, "hiaten"); !strings.Contains(r.Text, "**boete**: 1 vraag,") {
		t.Errorf("gaps: %q", r.Text)
	}
	lib.err = knowledge.ErrNotFound
	if r := c.Command(ctx, keeper, "bron terugzetten routeboek"); !strings.Contains(r.Text, "geen vorige versie") {
		t.Errorf("nothing to restore: %q", r.Text)
	}
	for text, want := range map[string]bool{"bronnen": true, "Bron toevoegen x": true, "logboek": true, "hiaten": true, "wie is aan zet?": false, "bronnen van verzuim?": false, "bron van zorg?": false} {
		if IsCommand(text) != want {
			t.Errorf("IsCommand(%q) = %v", text, !want)
		}
	}
}

// What a crash left in the temporary directory goes; what is being read
// now, and anything else, stays.
func TestCleanTemp(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-2 * time.Hour)
	for _, name := range []string{"wegwijs-upload-1", "wegwijs-fetch-2.pdf", "wegwijs-upload-3", "wegwijs-mattermost", "ander"} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte("x"), 0o600)
		if name != "wegwijs-upload-3" {
			os.Chtimes(p, old, old)
		}
	}
	if n := CleanTemp(dir, time.Hour); n != 2 {
		t.Errorf("removed %d, want 2", n)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(left) != 3 {
		t.Errorf("left %v", left)
	}
}

// A button that fails offers itself again; one whose draft is gone says so.
func TestDraftButtonFailures(t *testing.T) {
	lib := &library{err: errors.New("database down")}
	r := newCurator(lib).Click(context.Background(), keeper, ActionActivate, "routeboek@3")
	if !strings.Contains(r.Text, "niets veranderd") || len(r.Buttons) != 2 || r.Buttons[0].Value != "routeboek@3" {
		t.Errorf("a failed activation: %+v", r)
	}
	lib.err = fmt.Errorf("activate: %w", knowledge.ErrNotFound)
	r = newCurator(lib).Click(context.Background(), keeper, ActionActivate, "routeboek@3")
	if !strings.Contains(r.Text, "bestaat niet meer") || len(r.Buttons) != 0 {
		t.Errorf("a draft a colleague activated: %+v", r)
	}
}

// Files in a direct message or the admin channel are for the knowledge
// base, unless someone who may not change it asks a question with them.
func TestTakesFiles(t *testing.T) {
	p := newCurator(&library{}).Policy
	admin := Actor{Platform: "slack", User: "U-any", Channel: "C-beheer"}
	elsewhere := Actor{Platform: "slack", User: "U-any", Channel: "C-team"}
	for _, tt := range []struct {
		a        Actor
		direct   bool
		question string
		want     bool
	}{
		{keeper, true, "", true},
		{keeper, true, "de nieuwe versie", true},
		{stranger, true, "", true}, // the curator refuses it politely
		{stranger, true, " klopt dit? ", false},
		{admin, false, "klopt dit?", true},
		{elsewhere, false, "", false},
	} {
		if got := p.TakesFiles(tt.a, tt.direct, tt.question); got != tt.want {
			t.Errorf("TakesFiles(%+v, %v, %q) = %v, want %v", tt.a, tt.direct, tt.question, got, tt.want)
		}
	}
}
