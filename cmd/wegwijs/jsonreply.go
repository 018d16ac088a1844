package main

import (
	"github.com/wegwijs/wegwijs/bot"
)

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

// JSONNotice is one notice with its kind, in the JSON contract.
type JSONNotice struct {
	Kind    string `json:"kind"`
	Text    string `json:"text"`
	Private bool   `json:"private,omitempty"`
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
	// AbstainReason is why it abstained, as a code (prompts.Reason).
	AbstainReason string `json:"abstain_reason,omitempty"`
	// Outcome is answer, lead, abstain, refused, unavailable or empty.
	Outcome string `json:"outcome"`
	// Failure says what failed (refused, unavailable), as a code.
	Failure string `json:"failure,omitempty"`
	// NoticeKinds are the notices with their kinds, in the same order.
	NoticeKinds []JSONNotice `json:"notice_kinds,omitempty"`
	// Fingerprint identifies an answer by its cited passages and the
	// knowledge-base version, never by its question.
	Fingerprint string `json:"fingerprint,omitempty"`
}

// jsonOutcomes are the contract's outcome codes.
var jsonOutcomes = map[bot.Outcome]string{bot.Answered: "answer", bot.Abstained: "abstain", bot.Lead: "lead",
	bot.Refused: "refused", bot.Unavailable: "unavailable", bot.Empty: "empty"}

// jsonReply renders a reply (and its trace's timings) in the JSON contract.
func jsonReply(r bot.Reply, tr *bot.Trace) JSONReply {
	j := JSONReply{Answer: r.Text(), Abstained: r.Outcome == bot.Abstained || r.Outcome == bot.Lead, Citations: []JSONCitation{},
		Redactions: r.Redactions(), TimingsMS: map[string]int64{}, Mode: r.Mode,
		Outcome: jsonOutcomes[r.Outcome], Fingerprint: r.Fingerprint}
	if r.Outcome == bot.Abstained || r.Outcome == bot.Lead {
		j.AbstainReason = r.Reason.String()
	}
	if r.Failure != bot.NoFailure {
		j.Failure = r.Failure.String()
	}
	for _, n := range r.Notices {
		j.Notices = append(j.Notices, n.Text)
		j.NoticeKinds = append(j.NoticeKinds, JSONNotice{Kind: n.Kind.String(), Text: n.Text, Private: n.Private})
	}
	if tr != nil {
		for k, v := range tr.Timings {
			j.TimingsMS[k] = v.Milliseconds()
		}
	}
	for _, s := range r.Sources {
		quote := ""
		for i, q := range s.Quotes {
			if i > 0 {
				quote += " … "
			}
			quote += q
		}
		j.Citations = append(j.Citations, JSONCitation{N: s.N, Document: s.Document, Title: s.Title,
			Section: s.Section(), Page: s.PageFrom, URL: s.URL, Region: s.Region,
			Quote: quote, Passage: s.Passage, Score: s.Score})
	}
	return j
}
