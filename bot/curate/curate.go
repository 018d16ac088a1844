// Package curate is the knowledge-base work of beleidsmedewerkers in
// their chat tool: who may change the knowledge base, adding or replacing a
// document by sending a file or a link, checking the new version as a
// draft before it answers, retiring and restoring documents, the audit log
// and the gaps (the questions Wegwijs could not answer). It speaks plain
// Dutch in a Response, which a chat adapter renders in its own markup
// (buttons included); it keeps no message text.
package curate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/wegwijs/wegwijs/knowledge"
)

// Actor is who asks, where: a platform user in a channel.
type Actor struct {
	Platform string // "mattermost", "slack"
	User     string // the platform's user id
	Channel  string // where the message was written
}

// Policy says who may change the knowledge base: listed users anywhere,
// and everyone in a platform's admin channel, there.
type Policy struct {
	Users    map[string][]string // platform -> user ids
	Channels map[string]string   // platform -> admin channel id
	// Contact names who can help, for a refusal ("de functioneel
	// beheerder van Wegwijs").
	Contact string
}

// Allows reports whether a may change the knowledge base.
func (p Policy) Allows(a Actor) bool {
	for _, u := range p.Users[a.Platform] {
		if u != "" && u == a.User {
			return true
		}
	}
	ch := p.Channels[a.Platform]
	return ch != "" && ch == a.Channel
}

// TakesFiles reports whether files a sent are for the knowledge base: sent
// in a direct message (direct) or in the admin channel, by someone who may
// change it, or with no question beside them (question: the message's
// text without mentions of the bot). A file with a question from someone
// who may not (a screenshot and "klopt dit?") is a question: the file is
// left alone and the question answered.
func (p Policy) TakesFiles(a Actor, direct bool, question string) bool {
	if !direct && a.Channel != p.Channels[a.Platform] {
		return false
	}
	return p.Allows(a) || strings.TrimSpace(question) == ""
}

// Configured reports whether anybody may.
func (p Policy) Configured() bool {
	for _, us := range p.Users {
		if len(us) > 0 {
			return true
		}
	}
	for _, c := range p.Channels {
		if c != "" {
			return true
		}
	}
	return false
}

// Button is an action a Response offers.
type Button struct {
	Action string // ActionActivate, ActionCancel, ActionRemove, …
	Value  string // what the action works on: "slug@version", a document
	Label  string
	Style  string // "primary", "danger" or ""
}

// Actions the buttons carry.
const (
	ActionActivate = "kb_activate"
	ActionCancel   = "kb_cancel"
	ActionRemove   = "kb_remove"
	ActionKeep     = "kb_keep"
	ActionReplace  = "kb_replace" // activate a draft as the new version of another document
)

// Response is what the curator says: Dutch text (Markdown), buttons, and
// whether it is for the asker alone.
type Response struct {
	Text    string
	Buttons []Button
	Private bool
}

// File is a file a beleidsmedewerker sent, as the platform hands it over.
type File struct {
	Name string
	Size int64
	// Open fetches its content through the platform's API.
	Open func(ctx context.Context) (io.ReadCloser, error)
}

// Draft is a new version indexed but not answering yet, and what the
// curator understood of it.
type Draft struct {
	Record   knowledge.Record // its slug, version, title, region, pages, passages
	Replaces int              // the live version it would replace; 0: a new document
	Headings []string         // its first headings
	Concepts []string         // the glossary concepts it mentions
	Check    *Check           // the evaluation against the live version, when there are questions about it
	// SameAs is a live document with the draft's title or link under
	// another name: the draft may become its new version (ActionReplace).
	SameAs *knowledge.Record
	Notes  []string // Dutch warnings, e.g. that a folder sync will put its own version back
}

// Check is the evaluation questions about a document answered with the
// draft and with the live version.
type Check struct {
	Questions      int
	Better, Worse  []string // the questions that changed, as they read
	Unchanged      int
	WithoutOldDocs bool // a new document: compared with the knowledge base without it
	Failed         bool // the check could not be run; the draft stands
}

// Library is the knowledge base as the curator changes it; cmd wires it
// to the store, the ingester and the evaluation.
type Library interface {
	Sources(ctx context.Context) ([]knowledge.Record, error)
	// Draft ingests a file (a local path) or a URL as a draft: indexed,
	// screened for pupil data, not answering. A knowledge.InputError says
	// what is wrong with it.
	Draft(ctx context.Context, name, path, url string, meta knowledge.Meta) (Draft, error)
	Activate(ctx context.Context, slug string, version int) (knowledge.Record, error)
	// Adopt makes a draft the next version of the document target,
	// returning the draft's new key.
	Adopt(ctx context.Context, slug string, version int, target string) (knowledge.Record, error)
	Cancel(ctx context.Context, slug string, version int) error
	Edit(ctx context.Context, slug string, version int, title, region string) (knowledge.Record, error)
	Remove(ctx context.Context, slug string) (knowledge.Record, error)
	Restore(ctx context.Context, slug string) (knowledge.Record, error)
	Audit(ctx context.Context, e Entry) error
	AuditLog(ctx context.Context, limit int) ([]Entry, error)
	Gaps(ctx context.Context, days, limit int) ([]Gap, int, error)
	Feedback(ctx context.Context) ([]DocumentVotes, error)
}

// Entry is one line of the audit log.
type Entry struct {
	At       time.Time
	Platform string
	Actor    string
	Action   string
	Document string
	Version  int
	Outcome  string
}

// Gap is a topic of unanswered questions.
type Gap struct {
	Topic     string
	Questions int
	Examples  []string
}

// DocumentVotes are the 👍 and 👎 on answers citing a document.
type DocumentVotes struct {
	Document string
	Up, Down int
}

// Curator answers a beleidsmedewerker's commands, files and clicks.
type Curator struct {
	Library  Library
	Policy   Policy
	MaxBytes int64 // the largest file taken (knowledge.DefaultMaxBytes if 0)
	// GapsDays is how far back /wegwijs hiaten looks, and whether the
	// unanswered-questions log is on (0: off).
	GapsDays int
	Log      *slog.Logger
	Now      func() time.Time
	TempDir  string // where a sent file waits while it is read ("" is the system's)
}

func (c *Curator) log() *slog.Logger {
	if c.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return c.Log
}

// audit records an action; a failure to record is logged, not shown.
func (c *Curator) audit(ctx context.Context, a Actor, action, doc string, version int, outcome string) {
	if err := c.Library.Audit(ctx, Entry{Platform: a.Platform, Actor: a.User, Action: action, Document: doc, Version: version, Outcome: outcome}); err != nil {
		c.log().Warn("audit", "err", err)
	}
}

// refusal is the answer to someone who may not change the knowledge base.
func (c *Curator) refusal(ctx context.Context, a Actor, what string) Response {
	c.audit(ctx, a, what, "", 0, "denied")
	who := c.Policy.Contact
	if who == "" {
		who = "de beheerder van Wegwijs"
	}
	if !c.Policy.Configured() {
		return Response{Private: true, Text: "Documenten toevoegen of weghalen kan hier (nog) niemand: dat is niet ingesteld. Vraag " + who + " om de beleidsmedewerkers toe te voegen."}
	}
	return Response{Private: true, Text: "Sorry, de kennisbank aanpassen mag alleen een beleidsmedewerker die daarvoor is aangewezen. Wil je een document laten toevoegen of weghalen? Vraag het " + who + "."}
}

// failure says in Dutch what went wrong with an input or the database.
func failure(err error) string {
	if ie, ok := knowledge.AsInputError(err); ok {
		return ie.Dutch()
	}
	if errors.Is(err, knowledge.ErrNotFound) {
		return "Dat document staat niet in de kennisbank. Typ `/wegwijs bronnen` voor de namen."
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "Dat duurde te lang, dus ik ben gestopt. Er is niets veranderd. Probeer het zo nog eens."
	}
	return "Er ging iets mis, dus er is niets veranderd. Probeer het zo nog eens; blijft het gebeuren, meld het dan bij de beheerder."
}

// problemCodes are the audit log's codes of input problems.
var problemCodes = map[knowledge.Problem]string{
	knowledge.Corrupt: "corrupt", knowledge.Encrypted: "encrypted", knowledge.NoText: "no_text", knowledge.Unsupported: "unsupported",
	knowledge.Empty: "empty", knowledge.TooLarge: "too_large", knowledge.Unreachable: "unreachable", knowledge.LoginWall: "login_wall",
	knowledge.PupilData: "pupil_data", knowledge.NotText: "not_text", knowledge.TooMuchContent: "too_much_content",
	knowledge.ToolLimit: "tool_limit", knowledge.Internal: "internal_address",
}

// OutcomeCode is the audit log's code for an error: "ok", a problem of
// the input ("too_large", "pupil_data", …), "not_found" or "error".
func OutcomeCode(err error) string {
	if err == nil {
		return "ok"
	}
	if ie, ok := knowledge.AsInputError(err); ok {
		if c, ok := problemCodes[ie.Problem]; ok {
			return c
		}
		return strings.ReplaceAll(ie.ProblemName(), " ", "_")
	}
	if errors.Is(err, knowledge.ErrNotFound) {
		return "not_found"
	}
	return "error"
}

func versionRef(slug string, version int) string { return fmt.Sprintf("%s@%d", slug, version) }

func parseRef(v string) (string, int, bool) {
	slug, ver, ok := strings.Cut(v, "@")
	var n int
	if _, err := fmt.Sscanf(ver, "%d", &n); !ok || err != nil || slug == "" {
		return "", 0, false
	}
	return slug, n, true
}
