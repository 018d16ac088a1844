package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wegwijs/wegwijs/knowledge/docx/docxtest"
	"github.com/wegwijs/wegwijs/knowledge/pdf/pdftest"
)

const qaDir = "../../eval/testdata/qa"

// qaFolder lays out the Q&A test documents as a beleidsmedewerker would
// add them: the FAQ page as HTML, the handreiking as Word (made from its
// Markdown source, questions in bold) and the notes as a PDF (made from
// their text, "Vraag:"/"Antwoord:").
func qaFolder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	html, err := os.ReadFile(filepath.Join(qaDir, "faq-jgz-school.html"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "faq-jgz-school.html"), html, 0o644); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(qaDir, "handreiking-vragen-verzuim.md"))
	if err != nil {
		t.Fatal(err)
	}
	if err := docxtest.Write(filepath.Join(dir, "handreiking-vragen-verzuim.docx"), docxtest.FromMarkdown(string(md))); err != nil {
		t.Fatal(err)
	}
	txt, err := os.ReadFile(filepath.Join(qaDir, "vragen-thuiszitters.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := pdftest.WriteLinesPDF(filepath.Join(dir, "vragen-thuiszitters.pdf"), string(txt)); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestQAPages: the Q&A test documents (eval/testdata/qa, written apart
// for this) in three formats. Each question and its answer are one
// passage opening with the question; no answer quotes a page's question;
// and the question set on them meets its floor.
func TestQAPages(t *testing.T) {
	env := cliEnv(t)
	dir := qaFolder(t)
	if out, stderr, err := cliRun(t, env, "", "kb", "sync", dir); err != nil {
		t.Fatalf("sync: %v\n%s\n%s", err, out, stderr)
	}
	for doc, pair := range map[string]string{
		"faq-jgz-school":             "] Gegevens delen met de JGZ Mag de school het persoonsgebonden nummer (PGN) aan de JGZ geven? Nee.",
		"handreiking-vragen-verzuim": "] Melden van verzuim Telt te laat komen ook als verzuim? Ja.",
		"vragen-thuiszitters":        "pagina 2 Wie heeft de regie als meerdere partijen betrokken zijn? Zolang de leerling",
	} {
		out, _, err := cliRun(t, env, "", "kb", "show", doc)
		if err != nil || !strings.Contains(strings.Join(strings.Fields(out), " "), pair) {
			t.Errorf("%s: pair %q not one passage (%v):\n%s", doc, pair, err, out)
		}
		if strings.Contains(out, "Antwoord:") || strings.Contains(out, "Vraag:") {
			t.Errorf("%s: labels left in the passages:\n%s", doc, out)
		}
	}
	report := t.TempDir()
	out, stderr, err := cliRun(t, env, "", "eval", "run", "--set", filepath.Join(qaDir, "vragen.yaml"), "--report", report,
		"--fail-under", "hit=0.75,leaks<=0")
	if err != nil {
		t.Fatalf("eval: %v\n%s\n%s", err, out, stderr)
	}
	t.Log(out)
	body, err := os.ReadFile(filepath.Join(report, "rapport.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Questions []struct {
			ID, Answer string
		}
	}
	if err := json.Unmarshal(body, &rep); err != nil {
		t.Fatal(err)
	}
	quote := regexp.MustCompile(`„([^”]*)”`)
	for _, q := range rep.Questions {
		for _, m := range quote.FindAllStringSubmatch(q.Answer, -1) {
			if strings.HasSuffix(strings.TrimSpace(m[1]), "?") {
				t.Errorf("%s quotes a question: %q", q.ID, m[1])
			}
		}
	}
}

// TestHeadingsHelp: a list under a heading that says the opposite of the
// list's lead-in is still found first, and its lead-in quoted with its
// items (not the sentence before it, which has only the heading's words),
// for what the list answers; a document without headings gets its title as the
// section of its passages.
func TestHeadingsHelp(t *testing.T) {
	env := cliEnv(t)
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("gegevens-jgz.md", "# Gegevens delen met de jeugdgezondheidszorg\n\n"+
		"## Het PGN verstrekken is in strijd met de wet\n\n"+
		"Het persoonsgebonden nummer blijft in de administratie van de school. De school mag de volgende gegevens wel aan de jeugdarts geven:\n\n"+
		"- de naam en de geboortedatum van de leerling\n- de klas en de mentor\n- het aantal uren verzuim van de laatste weken\n\n"+
		"## Bewaren\n\nDe school bewaart het aanmeldformulier twee jaar nadat de leerling van school is gegaan.\n")
	write("notitie-zorgoverleg.txt", "De zorgcoördinator plant het zorgoverleg elke zes weken en stuurt de agenda een week van tevoren rond.\n\n"+
		"In het zorgoverleg bespreken school, jeugdarts en leerplichtambtenaar de leerlingen met zorgwekkend verzuim.\n")
	if out, stderr, err := cliRun(t, env, "", "kb", "sync", dir); err != nil {
		t.Fatalf("sync: %v\n%s\n%s", err, out, stderr)
	}
	out, _, err := cliRun(t, env, "", "ask", "--json", "welke gegevens mag een school aan de jgz geven?")
	if err != nil {
		t.Fatal(err)
	}
	var reply struct {
		Outcome   string
		Citations []struct{ Section, Quote string }
	}
	if err := json.Unmarshal([]byte(out), &reply); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if reply.Outcome != "answer" || len(reply.Citations) == 0 || !strings.Contains(reply.Citations[0].Section, "strijd met de wet") ||
		!strings.Contains(reply.Citations[0].Quote, "gegevens wel aan de jeugdarts geven") ||
		!strings.Contains(reply.Citations[0].Quote, "de naam en de geboortedatum van de leerling") {
		t.Errorf("the list under the misleading heading is not the first source: %s", out)
	}
	out, _, err = cliRun(t, env, "", "kb", "show", "notitie-zorgoverleg")
	if err != nil || strings.Contains(out, "[1] -") || !strings.Contains(out, "[1] Notitie zorgoverleg") {
		t.Errorf("a document without headings: its passages have no section (%v):\n%s", err, out)
	}
}
