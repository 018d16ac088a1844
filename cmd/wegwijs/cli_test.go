package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wegwijs/wegwijs/prompts/openai/openaitest"
	"github.com/wegwijs/wegwijs/retrieval/postgres/pgtest"
)

// cliRun runs the command line with the given environment and stdin.
func cliRun(t *testing.T, env map[string]string, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	return runWith(env, stdin, args...)
}

func benchRun(b *testing.B, env map[string]string, args ...string) (stdout, stderr string, err error) {
	b.Helper()
	return runWith(env, "", args...)
}

func pgtestDSN(tb testing.TB) string { return pgtest.DSN(tb) }

func runWith(env map[string]string, stdin string, args ...string) (stdout, stderr string, err error) {
	var out, errb bytes.Buffer
	getenv := func(k string) string { return env[k] }
	err = run(context.Background(), args, getenv, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), err
}

// cliEnv is an environment with a fresh database schema.
func cliEnv(t *testing.T) map[string]string {
	return map[string]string{"DATABASE_URL": pgtest.DSN(t), "HOME": t.TempDir()}
}

const sampleDir = "../../knowledge/sample"

func TestKBSyncListShowOnSample(t *testing.T) {
	env := cliEnv(t)
	out, _, err := cliRun(t, env, "", "kb", "sync", sampleDir)
	if err != nil {
		t.Fatalf("sync: %v\n%s", err, out)
	}
	if !strings.Contains(out, "5 toegevoegd") || !strings.Contains(out, "0 mislukt") {
		t.Errorf("sync summary:\n%s", out)
	}
	out, _, err = cliRun(t, env, "", "kb", "list")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"praktijkkaart-thuiszitters", "Twente", "Haaglanden", "landelijk", "Passages"} {
		if !strings.Contains(out, want) {
			t.Errorf("kb list lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "\n"); n != 6 {
		t.Errorf("kb list has %d lines, want header + 5", n)
	}
	out, _, err = cliRun(t, env, "", "kb", "show", "praktijkkaart-thuiszitters")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "PROFESSIONALS IN HET MDO EN HUN ROL > Rol van het SWV") {
		t.Errorf("kb show lacks the SWV heading path")
	}
	out, _, err = cliRun(t, env, "", "kb", "sync", sampleDir)
	if err != nil || !strings.Contains(out, "5 ongewijzigd") {
		t.Errorf("second sync: %v\n%s", err, out)
	}
	_, _, err = cliRun(t, env, "", "kb", "show", "bestaat-niet")
	if err == nil || !strings.Contains(userMessage(err), "staat niet in de kennisbank") {
		t.Errorf("show of a missing document: %v", err)
	}
}

func TestKBAddPDFHasPages(t *testing.T) {
	env := cliEnv(t)
	out, _, err := cliRun(t, env, "", "kb", "add", "../../knowledge/pdf/testdata/beleid.pdf", "--region", "Twente", "--date", "2024-09-01")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	out, _, _ = cliRun(t, env, "", "kb", "show", "beleid")
	if !strings.Contains(out, "Stap 2: Bespreken · pagina 2") || !strings.Contains(out, "3 pagina's") || !strings.Contains(out, "Regio: Twente") {
		t.Errorf("kb show of the PDF:\n%s", out)
	}
}

func TestKBBadInputs(t *testing.T) {
	env := cliEnv(t)
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	big := write("groot.txt", bytes.Repeat([]byte("verzuim "), 300_000)) // 2.4 MB
	env["WEGWIJS_MAX_FILE_MB"] = "1"
	env["WEGWIJS_FETCH_ALLOW"] = "127.0.0.1" // the test servers' address

	login := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/geheim" {
			http.Error(w, "login", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		b, _ := os.ReadFile("../../knowledge/html/testdata/inloggen.html")
		w.Write(b)
	}))
	defer login.Close()
	gone := httptest.NewServer(http.NotFoundHandler())
	goneURL := gone.URL
	gone.Close()

	tests := []struct {
		name, target, want string
	}{
		{"corrupt pdf", "../../knowledge/pdf/testdata/truncated.pdf", "is beschadigd"},
		{"encrypted pdf", "../../knowledge/pdf/testdata/encrypted.pdf", "wachtwoord"},
		{"image-only pdf", "../../knowledge/pdf/testdata/scan.pdf", "geen tekst"},
		{"garbage docx", "../../knowledge/docx/testdata/garbage.docx", "is beschadigd"},
		{"unsupported", write("foto.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")), "bestandstype"},
		{"empty", write("leeg.txt", nil), "is leeg"},
		{"too large", big, "te groot"},
		{"missing file", filepath.Join(dir, "bestaat-niet.pdf"), "kon ik niet ophalen"},
		{"unreachable url", goneURL + "/beleid.html", "kon ik niet ophalen"},
		{"login wall page", login.URL + "/inloggen", "inlogpagina"},
		{"login wall status", login.URL + "/geheim", "inlogpagina"},
		{"pupil data", write("lijst.txt", []byte("Overzicht\n\nDe leerling met BSN 111222333 verzuimt vaak en de school meldt dat bij DUO.\n")), "leerlinggegevens"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, err := cliRun(t, env, "", "kb", "add", tt.target)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(stderr, tt.want) || !strings.Contains(stderr, filepath.Base(tt.target)) {
				t.Errorf("stderr %q lacks %q or the file name", stderr, tt.want)
			}
			if strings.Contains(stderr, "111222333") {
				t.Error("the message repeats the pupil's BSN")
			}
		})
	}
	out, _, _ := cliRun(t, env, "", "kb", "list")
	if !strings.Contains(out, "leeg") {
		t.Errorf("nothing should have been added:\n%s", out)
	}
}

func TestSyncGoesOnAfterAFailure(t *testing.T) {
	env := cliEnv(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "goed.md"), []byte("# Rol van de mentor\n\nDe mentor belt de ouders op de eerste dag van het verzuim.\n"), 0o644)
	b, _ := os.ReadFile("../../knowledge/pdf/testdata/truncated.pdf")
	os.WriteFile(filepath.Join(dir, "kapot.pdf"), b, 0o644)
	out, _, err := cliRun(t, env, "", "kb", "sync", dir)
	if err == nil {
		t.Fatal("sync with a failure must exit non-zero")
	}
	if !strings.Contains(out, "1 toegevoegd") || !strings.Contains(out, "1 mislukt") || !strings.Contains(out, "kapot.pdf is beschadigd") {
		t.Errorf("summary:\n%s", out)
	}
}

func TestDatabaseDown(t *testing.T) {
	env := map[string]string{"DATABASE_URL": "host=" + t.TempDir() + " port=1 user=x dbname=x connect_timeout=2"}
	for _, args := range [][]string{{"kb", "list"}, {"ask", "wat doet de mentor"}} {
		_, _, err := cliRun(t, env, "", args...)
		if err == nil {
			t.Fatalf("%v: no error", args)
		}
		if msg := userMessage(err); !strings.Contains(msg, "database is niet bereikbaar") {
			t.Errorf("%v: %q", args, msg)
		}
		if exitCode(err) == 0 {
			t.Error("exit code 0")
		}
	}
}

func syncedEnv(t *testing.T) map[string]string {
	env := cliEnv(t)
	if out, _, err := cliRun(t, env, "", "kb", "sync", sampleDir); err != nil {
		t.Fatalf("sync: %v\n%s", err, out)
	}
	return env
}

func TestAskJSONContract(t *testing.T) {
	env := syncedEnv(t)
	out, _, err := cliRun(t, env, "", "ask", "--json", "wie is aan zet bij absoluut verzuim?")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(strings.TrimSpace(out), "\n") != 0 {
		t.Fatalf("want exactly one JSON line, got:\n%s", out)
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"answer", "abstained", "citations", "redactions", "timings_ms"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("field %q missing", k)
		}
	}
	var r JSONReply
	json.Unmarshal([]byte(out), &r)
	if r.Abstained || len(r.Citations) == 0 || len(r.Citations) > 5 {
		t.Fatalf("reply %+v", r)
	}
	c := r.Citations[0]
	if c.N != 1 || c.Document == "" || c.Title == "" || c.Region == "" || c.Passage == "" || c.Quote == "" || !strings.Contains(c.Passage, strings.Split(c.Quote, " … ")[0]) {
		t.Errorf("citation %+v", c)
	}

	// One question per line on stdin, one object per line out.
	out, _, err = cliRun(t, env, "wat doet de mentor\n\nhoe hoog is de boete voor luxe verzuim\n", "ask", "--json")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines, got %d", len(lines))
	}
	var second JSONReply
	json.Unmarshal([]byte(lines[1]), &second)
	if !second.Abstained || len(second.Citations) != 0 {
		t.Errorf("the fine question should abstain: %+v", second)
	}
}

// ask --uitleg adds why: the words, the coverage and the passages found.
func TestAskExplains(t *testing.T) {
	env := syncedEnv(t)
	out, _, err := cliRun(t, env, "", "ask", "--uitleg", "wie is aan zet bij absoluut verzuim?")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Bronnen:", "\nUitleg\n", "Deel van de vraag gedekt: beste passage", "Gevonden passages, in volgorde:\n  1. "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestAskBadQuestions(t *testing.T) {
	env := syncedEnv(t)
	ask := func(q string) JSONReply {
		t.Helper()
		out, _, err := cliRun(t, env, "", "ask", "--json", q)
		if err != nil {
			t.Fatalf("%.40q: %v", q, err)
		}
		var r JSONReply
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	for _, q := range []string{"   ", "🙂🙂🙂", "?!?..."} {
		if r := ask(q); !strings.Contains(r.Answer, "Stel gerust een vraag") || len(r.Citations) > 0 {
			t.Errorf("%q: %+v", q, r)
		}
	}
	long := "wat doet de leerplichtambtenaar bij absoluut verzuim " + strings.Repeat("en verder nog heel veel tekst ", 700)
	if r := ask(long); !strings.Contains(strings.Join(r.Notices, " "), "erg lang") {
		t.Errorf("20 KB question: no notice: %v", r.Notices)
	}
	if r := ask("What does the school attendance officer do when a pupil is not enrolled?"); !strings.Contains(strings.Join(r.Notices, " "), "Engels") {
		t.Errorf("English question: %v", r.Notices)
	}
	if _, _, err := cliRun(t, env, "", "ask"); err == nil || !strings.Contains(userMessage(err), "Welke vraag") {
		t.Errorf("ask without a question: %v", err)
	}
}

func TestAskWithLanguageModel(t *testing.T) {
	env := syncedEnv(t)
	good := openaitest.New(t, openaitest.Reply("Bij absoluut verzuim werken leerplicht en het samenwerkingsverband samen [1]. „Leerplichtambtenaren moeten onderzoek verrichten” [1]."))
	env["WEGWIJS_LLM_BASE_URL"] = good.URL()
	env["WEGWIJS_LLM_MODEL"] = "test-model"
	env["WEGWIJS_LLM_API_KEY"] = "x"
	out, _, err := cliRun(t, env, "", "ask", "--json", "wie is aan zet bij absoluut verzuim?")
	if err != nil {
		t.Fatal(err)
	}
	var r JSONReply
	json.Unmarshal([]byte(out), &r)
	if r.Mode != "llm" || !strings.Contains(r.Answer, "samenwerkingsverband samen [1]") {
		t.Errorf("want the model's grounded answer, got %+v", r)
	}

	// An answer without citations fails the check: extractive fallback.
	bad := openaitest.New(t, openaitest.Reply("Dat regelt de gemeente gewoon."))
	env["WEGWIJS_LLM_BASE_URL"] = bad.URL()
	out, _, _ = cliRun(t, env, "", "ask", "--json", "wie is aan zet bij absoluut verzuim?")
	json.Unmarshal([]byte(out), &r)
	if r.Mode != "extractive" || !strings.Contains(strings.Join(r.Notices, " "), "niet goed genoeg onderbouwd") {
		t.Errorf("unsupported answer: want extractive fallback with a notice, got %+v", r)
	}

	// Garbage from the endpoint: extractive fallback, said in the answer.
	garbage := openaitest.New(t, openaitest.Garbage())
	env["WEGWIJS_LLM_BASE_URL"] = garbage.URL()
	out, _, err = cliRun(t, env, "", "ask", "--json", "wie is aan zet bij absoluut verzuim?")
	if err != nil {
		t.Fatal(err)
	}
	json.Unmarshal([]byte(out), &r)
	if r.Mode != "extractive" || !strings.Contains(strings.Join(r.Notices, " "), "taalmodel gaf geen antwoord") {
		t.Errorf("garbage: want extractive fallback with a notice, got %+v", r)
	}
}

func TestRedactCommand(t *testing.T) {
	out, _, err := cliRun(t, map[string]string{}, "mag ik het verzuim van Mila Jansen (BSN 111222333) delen?\nwat doet de leerplichtambtenaar tot 18 jaar\n", "redact")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("want one JSON line per input line, got %q", out)
	}
	var first, second struct {
		Redacted string         `json:"redacted"`
		Found    map[string]int `json:"found"`
	}
	json.Unmarshal([]byte(lines[0]), &first)
	json.Unmarshal([]byte(lines[1]), &second)
	if first.Redacted != "mag ik het verzuim van [NAAM-1] (BSN [BSN-1]) delen?" || first.Found["NAAM"] != 1 || first.Found["BSN"] != 1 {
		t.Errorf("first line: %+v", first)
	}
	if second.Redacted != "wat doet de leerplichtambtenaar tot 18 jaar" || len(second.Found) != 0 {
		t.Errorf("second line: %+v", second)
	}
}

func TestSwitchingEmbedderNeedsReembed(t *testing.T) {
	env := syncedEnv(t) // offline embedder
	fake := openaitest.New(t, openaitest.Dimensions(48))
	env["WEGWIJS_EMBED_BASE_URL"] = fake.URL()
	env["WEGWIJS_EMBED_MODEL"] = "test-embed"
	env["WEGWIJS_EMBED_API_KEY"] = "x"
	_, _, err := cliRun(t, env, "", "ask", "--json", "wat doet de mentor")
	if err == nil || !strings.Contains(userMessage(err), "kb reembed") {
		t.Fatalf("a search with another embedder must be refused with advice, got %v", err)
	}
	out, _, err := cliRun(t, env, "", "kb", "reembed")
	if err != nil || !strings.Contains(out, "passages opnieuw omgezet met openai:test-embed") {
		t.Fatalf("reembed: %v\n%s", err, out)
	}
	out, _, err = cliRun(t, env, "", "ask", "--json", "wat doet de mentor")
	if err != nil {
		t.Fatalf("after reembed: %v", err)
	}
	var r JSONReply
	json.Unmarshal([]byte(out), &r)
	if r.Abstained {
		t.Errorf("after reembed: %+v", r)
	}
	out, _, _ = cliRun(t, env, "", "db", "status")
	if !strings.Contains(out, "openai:test-embed (48 dimensies)") || !strings.Contains(out, "Zoekindex: HNSW m=32, ef_construction=800") {
		t.Errorf("db status: %s", out)
	}
	// Going back to the offline embedder without reembed is refused too.
	delete(env, "WEGWIJS_EMBED_MODEL")
	if _, _, err := cliRun(t, env, "", "kb", "add", "../../knowledge/pdf/testdata/beleid.pdf"); err == nil || !strings.Contains(userMessage(err), "ander embeddingmodel") {
		t.Errorf("adding with another embedder: %v", err)
	}
}

func TestEvalRunAndCompare(t *testing.T) {
	env := syncedEnv(t)
	dir := t.TempDir()
	set := filepath.Join(dir, "set.yaml")
	os.WriteFile(set, []byte(`questions:
  - id: mentor
    question: "wat doet de mentor bij verzuim"
    kind: answerable
    passages:
      - document: praktijkkaart-thuiszitters
        phrase: "De mentor is de cerste contactpersoon vanuit school"
    keypoints: ["mentor"]
    tags: [role]
  - id: boete
    question: "hoe hoog is de boete voor luxe verzuim"
    kind: not_in_sources
    tags: [near-miss]
`), 0o644)
	out, _, err := cliRun(t, env, "", "eval", "run", "--set", set, "--report", filepath.Join(dir, "r1"), "--fail-under", "hit=0.5,abstain=1,leaks<=0")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, f := range []string{"rapport.json", "rapport.md", "rapport.html"} {
		if fi, err := os.Stat(filepath.Join(dir, "r1", f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	// An impossible gate fails the run, saying which threshold.
	out, _, err = cliRun(t, env, "", "eval", "run", "--set", set, "--report", filepath.Join(dir, "r2"), "--no-ablation", "--fail-under", "p50ms<=0")
	if err == nil || !strings.Contains(out, "Niet gehaald") {
		t.Errorf("gate: %v\n%s", err, out)
	}
	out, _, err = cliRun(t, env, "", "eval", "compare", filepath.Join(dir, "r1", "rapport.json"), filepath.Join(dir, "r2", "rapport.json"))
	if err != nil || out == "" {
		t.Errorf("compare: %v\n%s", err, out)
	}
	if _, _, err := cliRun(t, env, "", "eval", "run", "--set", set, "--fail-under", "hit=twee"); err == nil || exitCode(err) != 2 {
		t.Errorf("a bad gate is a usage error: %v", err)
	}
}

// The flag package's English errors reach the user in Dutch.
func TestFlagErrorsAreDutch(t *testing.T) {
	env := map[string]string{"HOME": t.TempDir()}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"ask", "--bogus", "x"}, "Onbekende optie -bogus."},
		{[]string{"kb", "add", "--title"}, "De optie -title heeft een waarde nodig."},
		{[]string{"eval", "run", "--k", "abc"}, "De waarde bij -k klopt niet."},
		{[]string{"ask", "--help"}, "Zo gebruik je deze opdracht:"},
	} {
		_, _, err := cliRun(t, env, "", c.args...)
		if msg := userMessage(err); err == nil || !strings.HasPrefix(msg, c.want) || !strings.Contains(msg, "Gebruik:") {
			t.Errorf("%v: %q, want it to start with %q and show the usage", c.args, msg, c.want)
		}
	}
}

// Documents are not fetched from inside the own network (loopback,
// private addresses), also not after a redirect, unless allowed.
func TestKBAddRefusesInternalAddresses(t *testing.T) {
	env := cliEnv(t)
	page := "<html><head><title>Beleid</title></head><body><h1>Beleid</h1><p>" + strings.Repeat("De leerplichtambtenaar doet onderzoek bij verzuim. ", 20) + "</p></body></html>"
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skip("no 127.0.0.2 here")
	}
	inner := &httptest.Server{Listener: ln, Config: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, page)
	})}}
	inner.Start()
	defer inner.Close()
	outer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/doorsturen" {
			http.Redirect(w, r, inner.URL+"/intern.html", http.StatusFound)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, page)
	}))
	defer outer.Close()

	_, stderr, err := cliRun(t, env, "", "kb", "add", outer.URL+"/beleid.html")
	if err == nil || !strings.Contains(stderr, "adres binnen het eigen netwerk") || !strings.Contains(stderr, "WEGWIJS_FETCH_ALLOW") {
		t.Errorf("loopback: %v %q", err, stderr)
	}
	env["WEGWIJS_FETCH_ALLOW"] = "127.0.0.1/32"
	if out, stderr, err := cliRun(t, env, "", "kb", "add", outer.URL+"/beleid.html"); err != nil {
		t.Fatalf("allowed: %v %s %s", err, out, stderr)
	}
	_, stderr, err = cliRun(t, env, "", "kb", "add", outer.URL+"/doorsturen")
	if err == nil || !strings.Contains(stderr, "adres binnen het eigen netwerk") {
		t.Errorf("a redirect to another internal address: %v %q", err, stderr)
	}
	env["WEGWIJS_FETCH_ALLOW"] = "geen-netwerk"
	if _, _, err := cliRun(t, env, "", "kb", "list"); err == nil || !strings.Contains(userMessage(err), "WEGWIJS_FETCH_ALLOW") {
		t.Errorf("a wrong setting: %v", err)
	}
}

// A batch answers every line: one saved as Windows-1252 (said so), a 2 MB
// one (cut, said so), and the rest.
func TestAskJSONBatchAnswersEveryLine(t *testing.T) {
	env := syncedEnv(t)
	in := "wat doet de mentor bij verzuim?\n" +
		"wie is aan zet bij absoluut verzuim? \x93graag\x94 \xe9\xe9n antwoord\n" +
		"wat doet de leerplichtambtenaar " + strings.Repeat("en nog meer ", 200_000) + "\n" +
		"hoe hoog is de boete voor luxe verzuim\n"
	out, stderr, err := cliRun(t, env, in, "ask", "--json")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d answers to 4 lines", len(lines))
	}
	var r [4]JSONReply
	for i, l := range lines {
		if err := json.Unmarshal([]byte(l), &r[i]); err != nil {
			t.Fatal(err)
		}
	}
	if k := r[1].NoticeKinds; len(k) == 0 || k[0].Kind != "unreadable_text" || r[1].Outcome != "answer" {
		t.Errorf("the Windows-1252 line: %+v", r[1])
	}
	if !strings.Contains(strings.Join(r[2].Notices, " "), "erg lang") {
		t.Errorf("the 2 MB line: %v", r[2].Notices)
	}
	if r[3].Outcome != "abstain" {
		t.Errorf("the last line: %+v", r[3])
	}
}
