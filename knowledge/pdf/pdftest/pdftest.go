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
	var b bytes.Buffer
	var offsets []int // byte offset of object i+1
	obj := func(body string) {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	// 1: catalog, 2: pages, 3: font, then a page and its content per page.
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	kids := make([]string, n)
	for i := range n {
		kids[i] = fmt.Sprintf("%d 0 R", 4+2*i)
	}
	obj(fmt.Sprintf("<< /Type /Pages /Count %d /Kids [%s] >>", n, strings.Join(kids, " ")))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	for i := range n {
		page := i + 1
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", 5+2*i))
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
		obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", c.Len(), c.String()))
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
