package bot

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/wegwijs/wegwijs/prompts"
)

// Markdown renders a reply for a terminal or a chat platform that reads
// Markdown: notices, the answer, and the sources with section, page,
// region and link.
func (r Reply) Markdown() string {
	var b strings.Builder
	for _, n := range r.Notices {
		b.WriteString("⚠️ " + n + "\n\n")
	}
	b.WriteString(r.Text)
	b.WriteString("\n")
	if len(r.Citations) > 0 {
		b.WriteString("\nBronnen:\n")
		for _, c := range r.Citations {
			b.WriteString(SourceLine(c) + "\n")
		}
	}
	return b.String()
}

// SourceLine is one line of the source list: "[1] Title — Section, p. 3
// (Twente) link".
func SourceLine(c prompts.Citation) string {
	h := c.Hit
	s := fmt.Sprintf("[%d] %s", c.N, h.Title)
	if sec := prompts.Section(h); sec != "" {
		s += " — " + sec
	}
	if h.PageFrom > 0 {
		if h.PageTo > h.PageFrom {
			s += fmt.Sprintf(", pagina %d-%d", h.PageFrom, h.PageTo)
		} else {
			s += fmt.Sprintf(", pagina %d", h.PageFrom)
		}
	}
	if h.Region != "" {
		s += " (" + h.Region + ")"
	}
	if h.URL != "" {
		s += " " + h.URL
	}
	return s
}

// JSONCitation is one citation in the JSON contract of `wegwijs ask --json`.
type JSONCitation struct {
	N        int     `json:"n"`
	Document string  `json:"document"`
	Title    string  `json:"title"`
	Section  string  `json:"section"`
	Page     int     `json:"page"`
	URL      string  `json:"url"`
	Region   string  `json:"region"`
	Quote    string  `json:"quote"`
	Passage  string  `json:"passage"`
	Score    float64 `json:"score"`
}

// JSONReply is the stable JSON contract of `wegwijs ask --json`; see
// docs/json.md. Fields are only ever added, never renamed or removed.
type JSONReply struct {
	Answer     string           `json:"answer"`
	Abstained  bool             `json:"abstained"`
	Citations  []JSONCitation   `json:"citations"`
	Redactions map[string]int   `json:"redactions"`
	TimingsMS  map[string]int64 `json:"timings_ms"`
	Mode       string           `json:"mode,omitempty"`
	Notices    []string         `json:"notices,omitempty"`
}

// JSON converts a reply to the JSON contract.
func (r Reply) JSON() JSONReply {
	j := JSONReply{Answer: r.Text, Abstained: r.Abstained, Citations: []JSONCitation{},
		Redactions: map[string]int{}, TimingsMS: map[string]int64{}, Mode: r.Mode, Notices: r.Notices}
	for k, v := range r.Redactions {
		j.Redactions[k] = v
	}
	for k, v := range r.Timings {
		j.TimingsMS[k] = v.Milliseconds()
	}
	for _, c := range r.Citations {
		j.Citations = append(j.Citations, JSONCitation{N: c.N, Document: c.Hit.Slug, Title: c.Hit.Title,
			Section: prompts.Section(c.Hit), Page: c.Hit.PageFrom, URL: c.Hit.URL, Region: c.Hit.Region,
			Quote: c.Quote, Passage: c.Hit.Text, Score: c.Hit.Score})
	}
	return j
}

// TimingsLine is a one-line summary of the timings, for debugging.
func (r Reply) TimingsLine() string {
	keys := make([]string, 0, len(r.Timings))
	for k := range r.Timings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %s", k, r.Timings[k].Round(time.Millisecond/10)))
	}
	return strings.Join(parts, ", ")
}
