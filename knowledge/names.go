package knowledge

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/wegwijs/wegwijs/knowledge/nl"
)

// SlugForFile is the key of a file's document: its name without extension.
func SlugForFile(p string) string {
	base := filepath.Base(p)
	return slugify(strings.TrimSuffix(base, filepath.Ext(base)))
}

// SlugForURL is the key of a web document: host and path.
func SlugForURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return slugify(raw)
	}
	return slugify(strings.TrimPrefix(u.Host, "www.") + "-" + strings.TrimSuffix(u.Path, filepath.Ext(u.Path)))
}

// maxSlug is the longest slug, in runes.
const maxSlug = 120

// slugify makes a document's key from a name: lower case, the accents of
// Dutch text dropped ("één" gives "een", nl.FoldRune), the letters and
// digits of any script kept, and every run of other characters one '-'; at
// most maxSlug runes. ASCII names give what they always gave
// ("praktijkkaart-thuiszitters"). A name without letters or digits ("😀")
// gets "document-" and a hash of the name, so no key is empty.
func slugify(s string) string {
	var b strings.Builder
	n, gap := 0, false
	for _, r := range s {
		r = nl.FoldRune(r)
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			gap = true
			continue
		}
		if gap && n > 0 {
			if n+1 >= maxSlug {
				break
			}
			b.WriteByte('-')
			n++
		}
		gap = false
		if n >= maxSlug {
			break
		}
		b.WriteRune(r)
		n++
	}
	if b.Len() == 0 {
		return "document-" + shortHash(s)
	}
	return b.String()
}

// shortHash is 8 hex digits of the SHA-256 of s.
func shortHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:4])
}

// catalogue is what the knowledge base holds, for choosing the key of a
// file's document.
type catalogue struct {
	bySlug   map[string]Record
	bySource map[string]Record
}

func newCatalogue(recs []Record) catalogue {
	c := catalogue{bySlug: map[string]Record{}, bySource: map[string]Record{}}
	for _, r := range recs {
		c.bySlug[r.Slug] = r
		c.bySource[r.Source] = r
	}
	return c
}

// slugFor chooses the key of the document of file path (absolute), brought
// in by a sync of folder origin, or by kb add when origin is "".
//
// A document's key is its file name (SlugForFile), so that question sets
// and people can name it. Two folders may each hold a file of that name,
// and each file is its own document: the one that came second gets its
// folder's name after it ("beleid" and "beleid-twente"), or, should that be
// taken too, a hash of its folder. So:
//   - the file of a document already held keeps that document's key (also
//     when it was suffixed once and the other file is gone since);
//   - else the file name, when no document has that key, or the one that
//     has it came from this folder (the same folder: a file renamed or
//     moved within it), or its file or folder no longer exists (a folder
//     that was moved or renamed takes its documents along);
//   - else the file name with the folder's name after it, and so on.
//
// For kb add (origin "") a document added earlier with kb add counts as
// the same folder, so adding a file again updates it, wherever it lies.
func (c catalogue) slugFor(path, origin string) string {
	if r, ok := c.bySource[path]; ok {
		return r.Slug
	}
	base := SlugForFile(path)
	folder := origin
	if folder == "" {
		folder = filepath.Dir(path)
	}
	for _, cand := range []string{base, base + "-" + slugify(filepath.Base(folder)), base + "-" + shortHash(folder)} {
		r, ok := c.bySlug[cand]
		if !ok || r.Origin == origin || !stillThere(r) {
			return cand
		}
	}
	return base + "-" + shortHash(path)
}

// stillThere reports whether the file of a document brought in from a
// folder still exists, and so does the folder.
func stillThere(r Record) bool {
	if strings.Contains(r.Source, "://") {
		return true // a web page
	}
	if _, err := os.Stat(r.Source); err != nil {
		return false
	}
	if r.Origin == "" {
		return true
	}
	_, err := os.Stat(r.Origin)
	return err == nil
}
