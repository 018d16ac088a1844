package eval

// This file holds the language-model judge, RAGAS-style, with Dutch
// prompts (templates/judge_*.tmpl):
//
//   - faithfulness: the answer is split into claims (its sentences; the
//     introductions of the extractive answer, "Volgens ...:", are not
//     claims). For each claim the model is shown the passages the claim
//     cites with [n] (all cited passages when the claim has no marker) and
//     answers 1 (supported) or 0. The score is supported claims ÷ claims.
//     A claim citing no passage at all counts as unsupported without asking.
//   - answer relevance: the model is shown the question and the answer and
//     answers 1 (the answer addresses the question) or 0. This is simpler
//     than RAGAS' variant (generate questions from the answer, compare
//     embeddings), needs no embedder, and a one-digit verdict parses
//     reliably even from small local models.
//
// Abstentions are not judged (RAGAS would score a correct refusal as
// irrelevant); the deterministic abstention figures cover them. Passages,
// question and answer are data to the judge; the prompt says so.

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"text/template"
	"time"
	"unicode"

	"github.com/wegwijs/wegwijs/bot"
	"github.com/wegwijs/wegwijs/knowledge/nl"
	"github.com/wegwijs/wegwijs/prompts"
)

//go:embed templates/judge_*.tmpl
var judgeFS embed.FS

var judgeTemplates = template.Must(template.ParseFS(judgeFS, "templates/judge_*.tmpl"))

// Judge scores answers with a language model. A nil Model skips judging.
type Judge struct {
	Model   prompts.ChatModel
	Timeout time.Duration // per model call; default 60s
}

// JudgeScore is what the judge made of one answer.
type JudgeScore struct {
	ID           string  `json:"id"`
	Faithfulness float64 `json:"faithfulness"` // supported claims ÷ claims
	Relevance    float64 `json:"relevance"`    // 1: the answer addresses the question
	Claims       int     `json:"claims"`
	Supported    int     `json:"supported"`
	Skipped      string  `json:"skipped,omitempty"` // why it was not judged (Dutch)
	Error        string  `json:"error,omitempty"`   // why judging failed
}

// JudgeSummary is the judge's verdict over a run.
type JudgeSummary struct {
	Model        string       `json:"model"`
	Faithfulness float64      `json:"faithfulness"` // mean over judged answers
	Relevance    float64      `json:"relevance"`    // mean over judged answers
	Judged       int          `json:"judged"`
	Failed       int          `json:"failed"`            // the model failed or gave no usable verdict
	Skipped      int          `json:"skipped"`           // no answer to judge (abstentions)
	NotRun       string       `json:"not_run,omitempty"` // why the judge did not run at all (Dutch)
	Scores       []JudgeScore `json:"scores,omitempty"`
}

// NoModel is the reason given when no language model is configured.
const NoModel = "geen taalmodel ingesteld"

// CitedPassages lays out a reply's citations for Score: element n-1 is the
// text of the passage the answer marks [n] ("" for numbers not cited).
func CitedPassages(sources []bot.Source) []string {
	var out []string
	for _, s := range sources {
		if s.N < 1 {
			continue
		}
		for len(out) < s.N {
			out = append(out, "")
		}
		out[s.N-1] = s.Passage
	}
	return out
}

// Score judges one answer. passages[n-1] is the passage the answer marks
// [n] (see CitedPassages). With no model, or for an abstention, it returns
// a score with Skipped set and no error. An error means the model failed
// or gave no usable verdict.
func (j *Judge) Score(ctx context.Context, q Question, o Outcome, passages []string) (JudgeScore, error) {
	sc := JudgeScore{ID: o.ID}
	switch {
	case j == nil || j.Model == nil:
		sc.Skipped = NoModel
		return sc, nil
	case o.Abstained || strings.TrimSpace(o.Answer) == "":
		sc.Skipped = "geen antwoord gegeven"
		return sc, nil
	}
	claims := splitClaims(o.Answer)
	if len(claims) == 0 {
		sc.Skipped = "geen beweringen in het antwoord"
		return sc, nil
	}
	for _, c := range claims {
		sc.Claims++
		ps := claimPassages(c, passages)
		if len(ps) == 0 {
			continue // cites nothing: unsupported
		}
		v, err := j.ask(ctx, "judge_faithfulness.tmpl", struct {
			Passages []string
			Claim    string
		}{ps, delimit(maskPersonal(c.Text, q.Personal))})
		if err != nil {
			return sc, fmt.Errorf("judge faithfulness of %s: %w", o.ID, err)
		}
		sc.Supported += v
	}
	sc.Faithfulness = float64(sc.Supported) / float64(sc.Claims)
	question := o.Question
	if q.Question != "" {
		question = q.Question
	}
	v, err := j.ask(ctx, "judge_relevance.tmpl", struct{ Question, Answer string }{
		delimit(maskPersonal(question, q.Personal)), delimit(maskPersonal(strings.TrimSpace(nl.StripMarkers(o.Answer)), q.Personal))})
	if err != nil {
		return sc, fmt.Errorf("judge relevance of %s: %w", o.ID, err)
	}
	sc.Relevance = float64(v)
	return sc, nil
}

// ScoreAll judges every outcome and summarizes. passages gives the cited
// passages of an outcome (see CitedPassages). A question the model fails
// on counts as failed; only the context ending stops the run. With no
// model it returns a summary that says the judge did not run.
func (j *Judge) ScoreAll(ctx context.Context, set *Set, outcomes []Outcome, passages func(Outcome) []string) (*JudgeSummary, error) {
	if j == nil || j.Model == nil {
		return &JudgeSummary{NotRun: NoModel}, nil
	}
	if passages == nil {
		return nil, errors.New("judge: no passages for the answers")
	}
	byID := map[string]Question{}
	if set != nil {
		for _, q := range set.Questions {
			byID[q.ID] = q
		}
	}
	var scores []JudgeScore
	for _, o := range outcomes {
		sc, err := j.Score(ctx, byID[o.ID], o, passages(o))
		if err != nil {
			if ctx.Err() != nil {
				s := SummarizeJudge(j.Model.Name(), scores)
				return &s, err
			}
			sc = JudgeScore{ID: o.ID, Error: err.Error()}
		}
		scores = append(scores, sc)
	}
	s := SummarizeJudge(j.Model.Name(), scores)
	return &s, nil
}

// SummarizeJudge averages the judged scores.
func SummarizeJudge(model string, scores []JudgeScore) JudgeSummary {
	s := JudgeSummary{Model: model, Scores: scores}
	var faith, rel []float64
	for _, sc := range scores {
		switch {
		case sc.Error != "":
			s.Failed++
		case sc.Skipped != "":
			s.Skipped++
		default:
			s.Judged++
			faith, rel = append(faith, sc.Faithfulness), append(rel, sc.Relevance)
		}
	}
	s.Faithfulness, s.Relevance = Mean(faith), Mean(rel)
	return s
}

// ask renders a judge prompt, asks the model and parses its verdict.
func (j *Judge) ask(ctx context.Context, name string, data any) (int, error) {
	var sys, user bytes.Buffer
	if err := judgeTemplates.ExecuteTemplate(&sys, "judge_system.tmpl", nil); err != nil {
		return 0, err
	}
	if err := judgeTemplates.ExecuteTemplate(&user, name, data); err != nil {
		return 0, err
	}
	timeout := j.Timeout
	if timeout <= 0 {
		timeout = 60 * time.Second
	}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	reply, err := j.Model.Stream(cctx, []prompts.Message{
		{Role: "system", Content: sys.String()},
		{Role: "user", Content: user.String()},
	}, func(string) {})
	if err != nil {
		return 0, err
	}
	return ParseVerdict(reply)
}

var thinkRe = regexp.MustCompile(`(?is)<think>.*?</think>`)

// ParseVerdict reads a judge's 1 or 0: the first digit 0 or 1 in the
// reply, after dropping any <think>…</think> block. Without such a digit a
// reply starting with "ja" or "nee" (or "yes"/"no") counts; anything else
// is an error.
func ParseVerdict(reply string) (int, error) {
	s := thinkRe.ReplaceAllString(reply, "")
	for _, r := range s {
		if r == '0' || r == '1' {
			return int(r - '0'), nil
		}
	}
	w := strings.ToLower(strings.TrimLeftFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }))
	switch {
	case strings.HasPrefix(w, "ja"), strings.HasPrefix(w, "yes"):
		return 1, nil
	case strings.HasPrefix(w, "nee"), strings.HasPrefix(w, "no"):
		return 0, nil
	}
	return 0, fmt.Errorf("no verdict (1 or 0) in a reply of %d characters", len(reply))
}

// claim is one claim of an answer with the passage numbers it cites.
type claim struct {
	Text string
	Refs []int
}

// leadingMarkers finds the markers that open a claim.
var leadingMarkers = regexp.MustCompile(`^(\s*\[\d+\])+`)

// splitClaims splits an answer into the claims to judge, as the grounding
// check reads them (nl.Claims): sentences, line by line, each with the [n]
// markers after its end ("… staat. [2] Verder …" gives [2] to the first
// sentence). A claim of markers alone (a line "[2]") gives them to the
// claim before. Lines that only introduce a source ("Volgens de
// Praktijkkaart:") and fragments without words are not claims.
func splitClaims(answer string) []claim {
	var out []claim
	for _, line := range strings.Split(answer, "\n") {
		line = strings.TrimLeft(strings.TrimSpace(line), ">-*• \t")
		for _, nc := range nl.Claims(line) {
			c := claim{Text: nc.Plain(), Refs: nc.Refs}
			if letters(c.Text) < 2 {
				if lead := leadingMarkers.FindString(nc.Text); lead != "" && len(out) > 0 {
					out[len(out)-1].Refs = append(out[len(out)-1].Refs, nl.Refs(lead)...)
				}
				continue
			}
			if nc.IsLeadIn() {
				continue
			}
			out = append(out, c)
		}
	}
	return out
}

func letters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

// claimPassages returns the passages a claim cites; for a claim without
// markers, all cited passages.
func claimPassages(c claim, passages []string) []string {
	var out []string
	for _, n := range c.Refs {
		if n >= 1 && n <= len(passages) && strings.TrimSpace(passages[n-1]) != "" {
			out = append(out, delimit(passages[n-1]))
		}
	}
	if len(c.Refs) == 0 {
		for _, p := range passages {
			if strings.TrimSpace(p) != "" {
				out = append(out, delimit(p))
			}
		}
	}
	return out
}

// delimit keeps data from closing the <<< >>> blocks of the prompt.
var delimiter = strings.NewReplacer("<<<", "< < <", ">>>", "> > >")

func delimit(s string) string { return delimiter.Replace(s) }

// maskPersonal replaces a question's (fake) personal values before the
// question goes to the judge model, as the guard does for the bot.
func maskPersonal(s string, personal []string) string {
	for _, v := range personal {
		if v = strings.TrimSpace(v); v != "" {
			s = replaceFold(s, v, "[PERSOONSGEGEVEN]")
		}
	}
	return s
}

// replaceFold replaces every case-insensitive occurrence of old.
func replaceFold(s, old, repl string) string {
	lower, lo := strings.ToLower(s), strings.ToLower(old)
	if len(lower) != len(s) || !strings.Contains(lower, lo) {
		return strings.ReplaceAll(s, old, repl)
	}
	var b strings.Builder
	for {
		i := strings.Index(lower, lo)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(repl)
		s, lower = s[i+len(lo):], lower[i+len(lo):]
	}
}
