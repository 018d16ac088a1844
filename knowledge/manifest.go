package knowledge

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// ManifestName is the file in a synced folder that gives the documents'
// metadata.
const ManifestName = "sources.yaml"

// Manifest is a folder's sources.yaml:
//
//	documents:
//	  praktijkkaart-thuiszitters.txt:
//	    title: Praktijkkaart thuiszitters
//	    publisher: Nationaal Programma Onderwijs
//	    region: landelijk
//	    url: https://...
//	    date: 2021-06-01
//	ignore: [SOURCES.md]
type Manifest struct {
	Documents map[string]Meta // by file name
	Ignore    []string        // file names (or globs) that are not documents
}

type manifestFile struct {
	Documents map[string]manifestEntry `yaml:"documents"`
	Ignore    []string                 `yaml:"ignore"`
}

type manifestEntry struct {
	Meta `yaml:",inline"`
	Date string `yaml:"date"`
}

// ReadManifest reads dir/sources.yaml; a folder without one has an empty
// manifest.
func ReadManifest(dir string) (Manifest, error) {
	m := Manifest{Documents: map[string]Meta{}}
	b, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if errors.Is(err, os.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return m, err
	}
	var f manifestFile
	if err := yaml.Unmarshal(b, &f); err != nil {
		return m, invalidFile(filepath.Join(dir, ManifestName), err)
	}
	for name, e := range f.Documents {
		meta := e.Meta
		if e.Date != "" {
			d, err := ParseDate(e.Date)
			if err != nil {
				return m, invalidFile(filepath.Join(dir, ManifestName), fmt.Errorf("%s: %w", name, err))
			}
			meta.Date = d
		}
		m.Documents[name] = meta
	}
	m.Ignore = f.Ignore
	return m, nil
}

// Ignored reports whether the manifest says name is not a document.
func (m Manifest) Ignored(name string) bool {
	if name == ManifestName || name == GlossaryName {
		return true
	}
	for _, pat := range m.Ignore {
		if ok, _ := filepath.Match(pat, name); ok {
			return true
		}
	}
	return false
}

// ParseDate reads a publication date: 2021-06-01, 2021-06 or 2021.
func ParseDate(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("date %q: use YYYY-MM-DD", s)
}

// FrontMatter splits YAML front matter (between "---" lines at the very
// start) from a Markdown or text file and returns the metadata and the rest.
func FrontMatter(text string) (Meta, string, error) {
	var meta Meta
	rest, ok := cutPrefixLine(text, "---")
	if !ok {
		return meta, text, nil
	}
	end := -1
	for _, sep := range []string{"\n---\n", "\n---\r\n", "\n...\n"} {
		if i := indexOf(rest, sep); i >= 0 && (end < 0 || i < end) {
			end = i
		}
	}
	if end < 0 {
		return meta, text, nil
	}
	var e manifestEntry
	if err := yaml.Unmarshal([]byte(rest[:end]), &e); err != nil {
		return meta, text, fmt.Errorf("front matter: %w", err)
	}
	meta = e.Meta
	if e.Date != "" {
		d, err := ParseDate(e.Date)
		if err != nil {
			return meta, text, fmt.Errorf("front matter: %w", err)
		}
		meta.Date = d
	}
	body := rest[end+1:]
	if i := indexOf(body, "\n"); i >= 0 {
		body = body[i+1:]
	}
	return meta, body, nil
}

func cutPrefixLine(s, line string) (string, bool) {
	for _, nl := range []string{"\n", "\r\n"} {
		if len(s) >= len(line)+len(nl) && s[:len(line)+len(nl)] == line+nl {
			return s[len(line)+len(nl):], true
		}
	}
	return s, false
}

func indexOf(s, sub string) int { return strings.Index(s, sub) }
