package prompts

import (
	"bytes"
	"embed"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"text/template"

	"github.com/wegwijs/wegwijs/retrieval"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

var templates = template.Must(template.ParseFS(templateFS, "templates/*.tmpl"))

// PromptPassage is one numbered passage in the prompt.
type PromptPassage struct {
	N       int
	Title   string
	Region  string
	Section string
	Page    int
	Text    string
}

// PromptInput is the typed input of the answer templates.
type PromptInput struct {
	Question string
	Passages []PromptPassage
}

// fence keeps text from closing the <<< >>> blocks that mark data in the
// prompt.
var fence = strings.NewReplacer("<<<", "‹‹‹", ">>>", "›››")

// NotInSources is what the model writes when the passages do not answer.
const NotInSources = "NIET_IN_BRONNEN"

// BuildMessages renders the system and user messages for a grounded
// answer over the given hits, numbered from 1.
func BuildMessages(question string, hits []retrieval.Hit) ([]Message, error) {
	in := PromptInput{Question: fence.Replace(question)}
	for i, h := range hits {
		in.Passages = append(in.Passages, PromptPassage{N: i + 1, Title: fence.Replace(h.Title), Region: h.Region,
			Section: fence.Replace(Section(h)), Page: h.PageFrom, Text: fence.Replace(h.Text)})
	}
	var sys, user bytes.Buffer
	if err := templates.ExecuteTemplate(&sys, "answer_system.tmpl", in); err != nil {
		return nil, err
	}
	if err := templates.ExecuteTemplate(&user, "answer_user.tmpl", in); err != nil {
		return nil, err
	}
	return []Message{{Role: "system", Content: sys.String()}, {Role: "user", Content: user.String()}}, nil
}

var (
	markerRe = regexp.MustCompile(`\[(\d+)\]`)
	quoteRe  = regexp.MustCompile(`[„“"]([^”"„“]{8,})[”"]`)
)

// Check problems, for the fallback notice and for logs (never text).
var (
	ErrNoCitation      = errors.New("a sentence has no citation")
	ErrUnknownCitation = errors.New("a citation points to no passage")
	ErrFalseQuote      = errors.New("a quote is not in the passage it cites")
	ErrEmptyAnswer     = errors.New("empty answer")
)

// CheckGrounded checks a model's answer against the passages it was given:
// every [n] names a passage, every sentence carries at least one [n], and
// every quoted text appears in one of the passages its sentence cites. It
// is the check a CheckedStream makes sentence by sentence.
func CheckGrounded(answer string, hits []retrieval.Hit) error {
	if strings.TrimSpace(answer) == "" {
		return ErrEmptyAnswer
	}
	s := NewCheckedStream(hits, nil)
	if err := s.Write(answer); err != nil {
		return err
	}
	return s.Close()
}

func markerOnly(s string) bool {
	return strings.TrimSpace(markerRe.ReplaceAllString(s, "")) == "" || strings.Trim(markerRe.ReplaceAllString(s, ""), " .") == ""
}

var spaceRe = regexp.MustCompile(`\s+`)

func normalizeQuote(s string) string {
	s = strings.NewReplacer("’", "'", "‘", "'", "“", `"`, "”", `"`, "„", `"`, "…", "...").Replace(s)
	return strings.ToLower(spaceRe.ReplaceAllString(strings.TrimSpace(s), " "))
}

// CitationsOf lists, in order of first use, the passages an answer cites.
func CitationsOf(answer string, hits []retrieval.Hit) []Citation {
	var out []Citation
	seen := map[int]bool{}
	for _, m := range markerRe.FindAllStringSubmatch(answer, -1) {
		n, _ := strconv.Atoi(m[1])
		if n < 1 || n > len(hits) || seen[n] {
			continue
		}
		seen[n] = true
		quote := ""
		for _, q := range quoteRe.FindAllStringSubmatch(answer, -1) {
			if strings.Contains(normalizeQuote(hits[n-1].Text), normalizeQuote(q[1])) {
				quote = q[1]
				break
			}
		}
		out = append(out, Citation{N: n, Hit: hits[n-1], Quote: quote})
	}
	return out
}
