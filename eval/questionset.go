// Package eval runs question sets through the same path as a chat message and
// measures retrieval, citations, answers, privacy and latency.
//
// This file holds the question set: its YAML format (see
// testdata/questions.yaml, whose header explains every field in Dutch), the
// loader that validates it, and the rule that decides whether a retrieved
// chunk is one of the passages that answer a question.
package eval

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/unicode/norm"
)

// Kind says what a good reply to a question looks like.
type Kind string

const (
	// Answerable: the documents answer it; the reply quotes and cites the
	// recorded passages.
	Answerable Kind = "answerable"
	// NotInSources: the documents do not answer it; the reply abstains.
	NotInSources Kind = "not_in_sources"
	// PersonalData: answerable, but the question carries (fake) pupil data
	// that must never appear in any output.
	PersonalData Kind = "personal_data"
)

// Kinds lists the known kinds in a stable order.
var Kinds = []Kind{Answerable, NotInSources, PersonalData}

func (k Kind) valid() bool {
	for _, known := range Kinds {
		if k == known {
			return true
		}
	}
	return false
}

// Set is a question set as read from YAML.
type Set struct {
	Questions []Question `yaml:"questions"`
}

// Question is one evaluation question.
type Question struct {
	ID        string       `yaml:"id"`        // unique, stable, kebab-case
	Question  string       `yaml:"question"`  // as a professional would type it
	Kind      Kind         `yaml:"kind"`      // answerable | not_in_sources | personal_data
	Passages  []PassageRef `yaml:"passages"`  // what answers it; empty for not_in_sources
	Keypoints []string     `yaml:"keypoints"` // short phrases a good answer contains
	Tags      []string     `yaml:"tags"`      // for slicing results, e.g. "chat", "region-twente"
	Personal  []string     `yaml:"personal"`  // values from the question that must never be output
}

// PassageRef points at a passage that answers a question: a phrase copied
// verbatim from the document, or the text of one of its headings.
type PassageRef struct {
	Document string `yaml:"document"` // file name without extension, e.g. "praktijkkaart-thuiszitters"
	Phrase   string `yaml:"phrase"`   // 5-20 words copied verbatim from the document
	Section  string `yaml:"section"`  // alternative to Phrase: a heading of the document
}

var kebab = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// LoadSet reads and validates a question set. Every validation error names
// the question it is about; all problems are reported at once.
func LoadSet(path string) (*Set, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("question set: %w", err)
	}
	set, err := ParseSet(data)
	if err != nil {
		return nil, fmt.Errorf("question set %s: %w", path, err)
	}
	return set, nil
}

// ParseSet decodes and validates a question set from YAML. Unknown fields are
// errors, so a misspelt field name does not silently drop data.
func ParseSet(data []byte) (*Set, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var set Set
	if err := dec.Decode(&set); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty file")
		}
		return nil, err
	}
	if err := set.Validate(); err != nil {
		return nil, err
	}
	return &set, nil
}

// Validate checks the set: at least one question, unique kebab-case ids,
// a non-empty question text, a known kind, at least one passage for
// answerable and personal_data questions and none for not_in_sources, each
// passage naming a document and exactly one of phrase or section, and
// personal values for personal_data questions.
func (s *Set) Validate() error {
	if len(s.Questions) == 0 {
		return errors.New("no questions")
	}
	var errs []error
	seen := make(map[string]int)
	for i, q := range s.Questions {
		name := fmt.Sprintf("question %q", q.ID)
		if strings.TrimSpace(q.ID) == "" {
			name = fmt.Sprintf("question #%d", i+1)
			errs = append(errs, fmt.Errorf("%s: no id", name))
		} else if !kebab.MatchString(q.ID) {
			errs = append(errs, fmt.Errorf("%s: id is not kebab-case (lowercase letters, digits and single hyphens)", name))
		}
		if q.ID != "" {
			if first, dup := seen[q.ID]; dup {
				errs = append(errs, fmt.Errorf("%s: duplicate id (also question #%d)", name, first))
			} else {
				seen[q.ID] = i + 1
			}
		}
		if strings.TrimSpace(q.Question) == "" {
			errs = append(errs, fmt.Errorf("%s: empty question", name))
		}
		if !q.Kind.valid() {
			errs = append(errs, fmt.Errorf("%s: unknown kind %q (want answerable, not_in_sources or personal_data)", name, q.Kind))
		}
		switch q.Kind {
		case Answerable, PersonalData:
			if len(q.Passages) == 0 {
				errs = append(errs, fmt.Errorf("%s: %s question needs at least one passage", name, q.Kind))
			}
		case NotInSources:
			if len(q.Passages) > 0 {
				errs = append(errs, fmt.Errorf("%s: not_in_sources question must not list passages", name))
			}
		}
		if q.Kind == PersonalData && len(nonBlank(q.Personal)) == 0 {
			errs = append(errs, fmt.Errorf("%s: personal_data question needs personal values", name))
		}
		for j, p := range q.Passages {
			pname := fmt.Sprintf("%s: passage %d", name, j+1)
			if strings.TrimSpace(p.Document) == "" {
				errs = append(errs, fmt.Errorf("%s: no document", pname))
			}
			hasPhrase := strings.TrimSpace(p.Phrase) != ""
			hasSection := strings.TrimSpace(p.Section) != ""
			switch {
			case !hasPhrase && !hasSection:
				errs = append(errs, fmt.Errorf("%s: needs a phrase or a section", pname))
			case hasPhrase && hasSection:
				errs = append(errs, fmt.Errorf("%s: give a phrase or a section, not both (use two passages)", pname))
			}
		}
		for _, v := range q.Personal {
			if strings.TrimSpace(v) == "" {
				errs = append(errs, fmt.Errorf("%s: empty personal value", name))
			}
		}
	}
	return errors.Join(errs...)
}

func nonBlank(ss []string) []string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

// Count returns the number of questions of kind k.
func (s *Set) Count(k Kind) int {
	n := 0
	for _, q := range s.Questions {
		if q.Kind == k {
			n++
		}
	}
	return n
}

// HasTag reports whether the question carries tag.
func (q Question) HasTag(tag string) bool {
	for _, t := range q.Tags {
		if t == tag {
			return true
		}
	}
	return false
}

// MatchesText reports whether a chunk answers the question: whether any of
// its passages matches the chunk (see PassageRef.MatchesText).
func (q Question) MatchesText(docSlug, text string, headingPath []string) bool {
	for _, p := range q.Passages {
		if p.MatchesText(docSlug, text, headingPath) {
			return true
		}
	}
	return false
}

// MatchesText reports whether a chunk of document docSlug, with the given
// text and heading path (outermost heading first), holds this passage: the
// document is the one named, and either the normalised phrase occurs in the
// normalised chunk text, or the normalised section equals one of the
// normalised headings.
func (p PassageRef) MatchesText(docSlug, text string, headingPath []string) bool {
	if strings.TrimSpace(p.Document) == "" || strings.TrimSpace(docSlug) != strings.TrimSpace(p.Document) {
		return false
	}
	if phrase := Normalize(p.Phrase); phrase != "" {
		return strings.Contains(Normalize(text), phrase)
	}
	if section := Normalize(p.Section); section != "" {
		for _, h := range headingPath {
			if Normalize(h) == section {
				return true
			}
		}
	}
	return false
}

// quoteFold maps typographic quotes to their ASCII forms, so a phrase typed
// with straight quotes matches a source with curly ones and vice versa.
var quoteFold = strings.NewReplacer(
	"\u2018", "'", "\u2019", "'", "\u201a", "'", "\u201b", "'", "\u00b4", "'", "`", "'",
	"\u201c", `"`, "\u201d", `"`, "\u201e", `"`, "\u201f", `"`,
)

// Normalize prepares text for phrase matching: Unicode NFC, lower case,
// typographic quotes folded to ASCII, soft hyphens and zero-width characters
// removed, every run of white space (line breaks included) collapsed to one
// space, leading and trailing space trimmed, and a word hyphenated across
// a line break joined ("ge-\nmeenten" becomes "gemeenten"), as the chunker
// joins it.
func Normalize(s string) string {
	return dehyphen.ReplaceAllString(normalizeSpace(s), "$1$2")
}

var dehyphen = regexp.MustCompile(`(\pL)- (\p{Ll})`)

func normalizeSpace(s string) string {
	s = norm.NFC.String(s)
	s = quoteFold.Replace(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == '\u00ad' || r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060' || r == '\ufeff':
			continue
		case unicode.IsSpace(r):
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
