package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A document check that reads only the passage text lets a BSN through in
// every other text that is stored or shown: a heading, the HTML title, the
// file name, and the metadata given on the command line (issue 16). Each
// must be refused, without repeating the number.
func TestKBRefusesIdentifiersOutsideTheText(t *testing.T) {
	env := cliEnv(t)
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const body = "De mentor belt de ouders op de eerste dag van het verzuim. Bij zorgwekkend verzuim volgt een gesprek met de jeugdarts.\n"
	clean := write("rol-mentor.txt", "Rol van de mentor\n\n"+body)
	htmlBody := "<p>" + strings.Repeat(body, 4) + "</p>"
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"markdown heading", []string{write("kop.md", "# Overzicht\n\n## Leerling 111222333\n\n"+body)}},
		{"html title", []string{write("pagina.html", "<html><head><title>Dossier 1112.22.333</title></head><body><article><h1>Rol van de mentor</h1>"+htmlBody+"</article></body></html>")}},
		{"file name", []string{write("verslag-111222333.txt", "Rol van de mentor\n\n"+body)}},
		{"file name with underscores", []string{write("verslag_111222333.txt", "Rol van de mentor\n\n"+body)}},
		{"--title", []string{clean, "--title", "Verslag 111222333"}},
		{"--publisher", []string{clean, "--publisher", "BSN 111 222 333"}},
		{"--region", []string{clean, "--region", "111222333"}},
		{"--url", []string{clean, "--url", "https://example.nl/dossier/111222333"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, err := cliRun(t, env, "", append([]string{"kb", "add"}, tc.args...)...)
			if err == nil {
				t.Fatal("added")
			}
			if !strings.Contains(stderr, "leerlinggegevens") || !strings.Contains(stderr, "BSN") {
				t.Errorf("stderr %q does not say a BSN was found", stderr)
			}
			for _, v := range []string{"111222333", "1112.22.333", "111 222 333"} {
				if strings.Contains(stderr, v) {
					t.Errorf("the message repeats the BSN: %q", stderr)
				}
			}
		})
	}
	out, _, _ := cliRun(t, env, "", "kb", "list")
	if !strings.Contains(out, "leeg") {
		t.Errorf("nothing should have been added:\n%s", out)
	}
}

// A sync logs each failed file by its slug, which is made of its file name:
// the logger masks an identifier in it.
func TestKBSyncLogsNoIdentifierFromAFileName(t *testing.T) {
	env := cliEnv(t)
	env["WEGWIJS_LOG_LEVEL"] = "debug"
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "verslag_111222333.txt"), []byte("Rol van de mentor\n\nDe mentor belt de ouders op de eerste dag.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, err := cliRun(t, env, "", "kb", "sync", dir)
	if err == nil || !strings.Contains(out, "1 mislukt") {
		t.Fatalf("sync: %v\n%s", err, out)
	}
	if !strings.Contains(stderr, "document failed") {
		t.Errorf("the failure was not logged: %s", stderr)
	}
	if strings.Contains(out+stderr, "111222333") {
		t.Errorf("the BSN in the file name reached the output or the log:\n%s\n%s", out, stderr)
	}
}

// Names after a person cue that no name list holds, birth dates given as
// month and year and places of birth reached ask --uitleg, which shows the
// search terms (issue 16).
func TestAskExplainsWithoutCueNames(t *testing.T) {
	env := syncedEnv(t)
	for _, tc := range []struct{ question, kinds string }{
		{"Mag ik het verzuim van Tjitske Hoogeboom delen?", "naam"},
		{"Het dossier van Djaimy Oolbekkink is nog niet compleet, wie vult het aan?", "naam"},
		{"Ze is in maart 2014 geboren en zit thuis, wanneer is ze leerplichtig?", "geboortedatum"},
		{"De leerling is geboren in Tilburg en woont in Nijverdal, welke gemeente is aan zet?", "woonplaats"},
	} {
		out, _, err := cliRun(t, env, "", "ask", "--uitleg", tc.question)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []string{"tjitsk", "hoogeboom", "djaimy", "oolbekkink", "maart 2014", "tilburg", "nijverdal"} {
			// lowercase and cut, as the explanation shows stems
			if strings.Contains(strings.ToLower(tc.question), v) && strings.Contains(strings.ToLower(out), v) {
				t.Errorf("%q: the answer or its explanation shows %q:\n%s", tc.question, v, out)
			}
		}
		if !strings.Contains(out, tc.kinds) {
			t.Errorf("%q: the reply does not say a %s was removed:\n%s", tc.question, tc.kinds, out)
		}
	}
}

// A case report with a pupil's name, date of birth, address and a parent's
// phone number but no BSN was stored and quoted whole (issue 16); a policy
// text that names its authors and a contact's number is not refused.
func TestKBRefusesCaseReports(t *testing.T) {
	env := cliEnv(t)
	const dir = "../../knowledge/testdata/screen/"
	out, stderr, err := cliRun(t, env, "", "kb", "add", dir+"casus-mdo-verslag.txt", dir+"beleid-auteurs.txt")
	if err == nil {
		t.Fatal("the case report was added")
	}
	for _, want := range []string{"casus-mdo-verslag.txt bevat gegevens die op leerlinggegevens lijken", "geboortedatum", "telefoonnummer", "grens van 4"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("the refusal lacks %q: %s", want, stderr)
		}
	}
	for _, v := range []string{"Mila", "Verhoef", "03-04-2014", "Goudenregenstraat", "06-41235870", "48213"} {
		if strings.Contains(out+stderr, v) {
			t.Errorf("the output repeats %q", v)
		}
	}
	if !strings.Contains(out, "Toegevoegd: beleid-auteurs") {
		t.Errorf("the policy text was not added:\n%s\n%s", out, stderr)
	}
	list, _, _ := cliRun(t, env, "", "kb", "list")
	if strings.Contains(list, "casus") || !strings.Contains(list, "beleid-auteurs") {
		t.Errorf("kb list:\n%s", list)
	}
}
