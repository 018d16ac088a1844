package knowledge

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// ParseTextLines, fed by a LineReader, finds what ParseText finds in the
// whole text: the same blocks, for the sample and for the odd line breaks
// and blank lines splitBlocks knows.
func TestParseTextLinesMatchesParseText(t *testing.T) {
	texts := map[string]string{
		"crlf":        "ROL VAN DE MENTOR\r\n\r\nDe mentor belt de ouders op de eerste dag\r\nvan het verzuim. Hij legt het vast.\r\n",
		"lone cr":     "KOP\r\rDe tekst gaat door en\rloopt verder.\r\r\rNog een alinea.",
		"blank lines": "a b c\n \t\n\n\u00a0\nde mentor\f\n\v\nDE KOP\n\n\n\nslot zonder einde",
		"mixed":       "Eerste regel\r\n\nTweede alinea ge-\nzamenlijk\r\rderde\n\n",
		"hyphen":      "De ge-\nmeenten en de scho-\nlen werken samen.\n\nROL VAN\nDE LEERPLICHT-\nAMBTENAAR\n\nTekst.",
		"empty":       "",
		"only blank":  "\n\n \n",
		"no newline":  "Een enkele regel zonder einde",
	}
	files, _ := filepath.Glob("sample/*.txt")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts[filepath.Base(f)] = string(b)
	}
	for name, text := range texts {
		want := ParseText(text, 3)
		lr := NewLineReader(strings.NewReader(text), true)
		got := ParseTextLines(lr.Lines(), 3)
		if lr.Err() != nil {
			t.Fatal(lr.Err())
		}
		if len(want) == 0 && len(got) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: ParseTextLines differs from ParseText:\n got %+v\nwant %+v", name, got, want)
		}
	}
}

// A line longer than maxBlockBytes (a file without line breaks) comes in
// pieces of at most that, cut at spaces, with every word kept; a block of
// lines without a blank line, and a paragraph joined over stray blank
// lines, stay under it too.
func TestLongLinesAreCut(t *testing.T) {
	word := "verzuimmelding "
	text := strings.Repeat(word, 3*maxBlockBytes/len(word)) + "\n" + strings.Repeat("x", maxBlockBytes+10) + "\nslot"
	lr := NewLineReader(strings.NewReader(text), true)
	var lines []string
	for l := range lr.Lines() {
		if len(l) > maxBlockBytes {
			t.Fatalf("a line of %d bytes", len(l))
		}
		lines = append(lines, l)
	}
	if len(lines) < 6 || lines[len(lines)-1] != "slot" {
		t.Fatalf("%d lines, last %.20q", len(lines), lines[len(lines)-1])
	}
	if got, want := strings.Count(strings.Join(lines, " "), "verzuimmelding"), 3*maxBlockBytes/len(word); got != want {
		t.Errorf("%d words after cutting, want %d", got, want)
	}
	for b := range ParseTextStream(NewLineReader(strings.NewReader(text), true).Lines(), 0) {
		if len(b.Text) > maxBlockBytes {
			t.Errorf("a block of %d bytes", len(b.Text))
		}
	}
	// lines that continue each other's sentences, no blank line in between
	var many strings.Builder
	for many.Len() < 3*maxBlockBytes {
		many.WriteString("de mentor belt de ouders en\n\nde leerplichtambtenaar komt langs en\n")
	}
	for b := range ParseTextStream(NewLineReader(strings.NewReader(many.String()), true).Lines(), 0) {
		if len(b.Text) > maxBlockBytes {
			t.Errorf("a joined paragraph of %d bytes", len(b.Text))
		}
	}
}
