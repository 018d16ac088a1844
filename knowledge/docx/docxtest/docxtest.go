// Package docxtest writes small Word (.docx) documents for tests: just
// enough Office Open XML for the docx extractor (and Word) to read.
package docxtest

import (
	"archive/zip"
	"bufio"
	"encoding/xml"
	"fmt"
	"os"
	"strings"
)

// Para is one paragraph: Style "Title", "Heading1", "Heading2" or ""
// (body text); Bold sets every run of it in bold.
type Para struct {
	Style string
	Text  string
	Bold  bool
}

// FromMarkdown reads the little Markdown the Q&A test documents use: "# "
// is the title, "## " a heading, a line that is all "**…**" a paragraph
// in bold, other non-blank lines body paragraphs (a paragraph's lines
// joined).
func FromMarkdown(md string) []Para {
	var out []Para
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, Para{Text: strings.Join(cur, " ")})
			cur = nil
		}
	}
	for l := range strings.Lines(md) {
		l = strings.TrimSpace(l)
		switch {
		case l == "":
			flush()
		case strings.HasPrefix(l, "# "):
			flush()
			out = append(out, Para{Style: "Title", Text: l[2:]})
		case strings.HasPrefix(l, "## "):
			flush()
			out = append(out, Para{Style: "Heading1", Text: l[3:]})
		case strings.HasPrefix(l, "**") && strings.HasSuffix(l, "**") && len(l) > 4:
			flush()
			out = append(out, Para{Text: l[2 : len(l)-2], Bold: true})
		default:
			cur = append(cur, l)
		}
	}
	flush()
	return out
}

const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>`

const rels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`

const docRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`

const styles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/></w:style></w:styles>`

// Write writes the paragraphs as a .docx file at path.
func Write(path string, paras []Para) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	z := zip.NewWriter(bw)
	var body strings.Builder
	body.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	for _, p := range paras {
		body.WriteString("<w:p>")
		if p.Style != "" {
			fmt.Fprintf(&body, `<w:pPr><w:pStyle w:val="%s"/></w:pPr>`, p.Style)
		}
		body.WriteString("<w:r>")
		if p.Bold {
			body.WriteString("<w:rPr><w:b/></w:rPr>")
		}
		body.WriteString(`<w:t xml:space="preserve">`)
		if err := xml.EscapeText(&body, []byte(p.Text)); err != nil {
			return err
		}
		body.WriteString("</w:t></w:r></w:p>")
	}
	body.WriteString("</w:body></w:document>")
	for _, part := range []struct{ name, data string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", rels},
		{"word/_rels/document.xml.rels", docRels},
		{"word/styles.xml", styles},
		{"word/document.xml", body.String()},
	} {
		w, err := z.Create(part.name)
		if err != nil {
			return err
		}
		if _, err := w.Write([]byte(part.data)); err != nil {
			return err
		}
	}
	if err := z.Close(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}
