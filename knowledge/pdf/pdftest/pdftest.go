// Package pdftest writes PDFs for tests and benchmarks.
package pdftest

import (
	"bytes"
	"fmt"
	"os"
	"strings"
)

// paragraphs are the body text of every generated page.
var paragraphs = []string{
	"Bij zorgwekkend verzuim neemt de school binnen twee dagen contact op met de ouders en legt het gesprek vast in het leerlingdossier.",
	"De leerplichtambtenaar nodigt de jongere en de ouders uit voor een gesprek wanneer het verzuim in vier weken oploopt tot zestien uur.",
	"Het samenwerkingsverband zoekt samen met de school en de ouders een passende plek, zodat geen kind langer dan drie maanden thuis zit.",
}

// WriteTextPDF writes a valid PDF of n pages to path: Helvetica text, a
// heading "Pagina i" and a few Dutch paragraphs naming the page number on
// each page. It is just enough PDF for poppler.
func WriteTextPDF(path string, n int) error {
	pages := make([]string, n)
	for i := range n {
		page := i + 1
		var c strings.Builder
		c.WriteString("BT /F1 16 Tf 72 770 Td 20 TL ")
		fmt.Fprintf(&c, "(Pagina %d) Tj T* /F1 10 Tf 14 TL T* ", page)
		for k, p := range paragraphs {
			for _, line := range wrap(fmt.Sprintf("Paragraaf %d.%d. %s", page, k+1, p), 90) {
				fmt.Fprintf(&c, "(%s) ' ", escape(line))
			}
			c.WriteString("T* ")
		}
		fmt.Fprintf(&c, "(Einde van pagina %d.) ' ET", page)
		pages[i] = c.String()
	}
	return writePDF(path, pages)
}

// WriteLinesPDF writes text as a PDF, its lines as they are (a blank line
// leaves a gap that pdftotext reads as one), in 10 pt Helvetica, as many
// to an A4 page as fit. Letters outside ASCII are written in WinAnsi
// (Latin-1), so ë and ö survive.
func WriteLinesPDF(path, text string) error {
	const top, bottom, line, gap = 770, 60, 14, 30
	var pages []string
	var c strings.Builder
	y := top
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if c.Len() == 0 {
			c.WriteString("BT /F1 10 Tf 72 770 Td 14 TL ")
			y = top
		}
		if strings.TrimSpace(l) == "" {
			fmt.Fprintf(&c, "0 -%d Td ", gap)
			y -= gap
		} else {
			fmt.Fprintf(&c, "(%s) ' ", escape(latin1(l)))
			y -= line
		}
		if y < bottom {
			c.WriteString("ET")
			pages = append(pages, c.String())
			c.Reset()
		}
	}
	if c.Len() > 0 {
		c.WriteString("ET")
		pages = append(pages, c.String())
	}
	return writePDF(path, pages)
}

// latin1 turns s into Latin-1 bytes (as a string), '?' for what it lacks.
func latin1(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xff {
			r = '?'
		}
		b = append(b, byte(r))
	}
	return string(b)
}

// writePDF writes a PDF with one page per content stream.
func writePDF(path string, pages []string) error {
	var b bytes.Buffer
	var offsets []int // byte offset of object i+1
	obj := func(body string) {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	// 1: catalog, 2: pages, 3: font, then a page and its content per page.
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	kids := make([]string, len(pages))
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", 4+2*i)
	}
	obj(fmt.Sprintf("<< /Type /Pages /Count %d /Kids [%s] >>", len(pages), strings.Join(kids, " ")))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	for i, content := range pages {
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", 5+2*i))
		obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content))
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return os.WriteFile(path, b.Bytes(), 0o644)
}

func wrap(s string, width int) []string {
	var lines []string
	var line string
	for _, w := range strings.Fields(s) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return append(lines, line)
}

func escape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`).Replace(s)
}
