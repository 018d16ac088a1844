package bot

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/wegwijs/wegwijs/knowledge/nl"
	"github.com/wegwijs/wegwijs/prompts"
)

// Outcome is what became of a question.
type Outcome int

const (
	// Answered: the reply quotes or cites the passages it rests on.
	Answered Outcome = iota + 1
	// Abstained: the documents do not answer the question (Reply.Reason
	// says why); the reply says so and names the known documents.
	Abstained
	// Refused: the privacy guard could not check the question, so nothing
	// else ran and nothing was used.
	Refused
	// Unavailable: a part Wegwijs needs failed (the database, the search,
	// the time budget); the reply says so in Dutch.
	Unavailable
	// Empty: the message held no question.
	Empty
	// Lead: no sentence answers the question, but the passages that came
	// closest are offered, cited like an answer and marked as none
	// (Reply.Reason says why it is no answer).
	Lead
)

var outcomeCodes = [...]string{"", "answered", "abstained", "refused", "unavailable", "empty", "lead"}

// String is a stable code for logs, metrics and scripts.
func (o Outcome) String() string {
	if o >= 0 && int(o) < len(outcomeCodes) {
		return outcomeCodes[o]
	}
	return "outcome_" + strconv.Itoa(int(o))
}

// Reply is the platform-neutral answer: every renderer (Markdown for the
// command line and Mattermost, JSON for scripts, Block Kit for Slack)
// turns it into its own markup without reading its text. It holds nothing
// of the question but the categories and counts of what the guard removed.
type Reply struct {
	Outcome Outcome
	Reason  prompts.Reason // why it abstained (Abstained)
	Untyped nl.AnswerType  // with Reason WrongType: the type of fact no quote gives
	Failure Failure        // what failed (Refused, Unavailable)
	Mode    string         // "extractive" or "llm" (Answered)

	// Blocks are the reply's body in reading order.
	Blocks []Block
	// Sources are the cited passages, numbered as the [n] in the blocks.
	Sources []Source
	// Known are the documents the knowledge base holds, for an abstention.
	Known []KnownDocument
	// Notices are what the asker should know besides the answer.
	Notices []Notice

	// Fingerprint identifies the answer by question-independent facts
	// (its cited passages and the knowledge-base version), for feedback
	// counts that never store the question. Empty when nothing is cited.
	Fingerprint string
}

// BlockKind says what a block is.
type BlockKind int

const (
	// LeadLine introduces the quotes of one document ("Volgens ‘…’:").
	LeadLine BlockKind = iota + 1
	// Quote is a verbatim sentence of the source numbered Block.N.
	Quote
	// Prose is a language model's checked text, with [n] markers.
	Prose
	// Message is Dutch text that is no answer: why it abstained, what
	// failed, what to ask.
	Message
	// KnownList marks where the known documents (Reply.Known) go.
	KnownList
	// Hint is a closing suggestion ("Vraag het eventueel aan …").
	Hint
)

// Block is one piece of a reply's body.
type Block struct {
	Kind BlockKind
	Text string
	N    int // Quote: the number of its source
}

// Source is a cited passage with its document: what a renderer shows under
// the answer, and what a reader follows to check it.
type Source struct {
	N        int    // as in the [n] markers
	ChunkID  int64  // the passage in the store
	Document string // the document's name in the knowledge base (its slug)
	Title    string
	Heading  []string // the headings above the passage, outermost first
	PageFrom int      // 0 when the format has no pages
	PageTo   int
	Region   string
	URL      string
	Date     time.Time // when the document was published, when known
	Passage  string    // the passage's whole text
	Quotes   []string  // the sentences the answer quotes from it
	Score    float64   // the search's fused score
}

// Section is the source's heading path as one line.
func (s Source) Section() string { return prompts.SectionOf(s.Heading) }

// KnownDocument is a document the knowledge base holds.
type KnownDocument struct {
	Document string
	Title    string
	Region   string
	URL      string
	Date     time.Time
	Version  int
}

// NoticeKind says what a notice is about, so a platform can place it: the
// privacy warning to the asker alone, the rest with the answer.
type NoticeKind int

const (
	// PersonalData: the guard removed personal data from the question
	// (Counts), or the question named an extra sensitive subject
	// (Special). Shown to the asker alone.
	PersonalData NoticeKind = iota + 1
	// Regional: the answer rests on a region's own arrangements (Regions).
	Regional
	// UnknownPlace: the question names a place the documents never
	// mention (Places).
	UnknownPlace
	// English: the question seems English.
	English
	// QuestionCut: the question was too long; only its start was read.
	QuestionCut
	// ModelFallback: the language model failed or its answer did not hold
	// up against the sources; the answer is extractive instead.
	ModelFallback
	// Unreadable: the question was not valid UTF-8 (a file saved as
	// Windows-1252, say); it was read as Windows-1252.
	Unreadable
)

var noticeCodes = [...]string{"", "personal_data", "regional", "unknown_place", "english", "question_cut", "model_fallback", "unreadable_text"}

// String is a stable code for scripts.
func (k NoticeKind) String() string {
	if k >= 0 && int(k) < len(noticeCodes) {
		return noticeCodes[k]
	}
	return "notice_" + strconv.Itoa(int(k))
}

// Notice is something the asker should know besides the answer. Text is
// ready-made Dutch; the other fields are its facts, for platforms that
// show them their own way.
type Notice struct {
	Kind NoticeKind
	Text string
	// Private: show it to the asker alone (an ephemeral message).
	Private bool
	Counts  map[string]int // PersonalData: category -> count, never values
	Special []string       // PersonalData: extra sensitive subjects named (health, religion, origin)
	Regions []string       // Regional
	Places  []string       // UnknownPlace
}

// Notice returns the reply's notice of kind k.
func (r Reply) Notice(k NoticeKind) (Notice, bool) {
	for _, n := range r.Notices {
		if n.Kind == k {
			return n, true
		}
	}
	return Notice{}, false
}

// Redactions are the categories and counts of what the guard removed from
// the question; never values.
func (r Reply) Redactions() map[string]int {
	out := map[string]int{}
	if n, ok := r.Notice(PersonalData); ok {
		for c, k := range n.Counts {
			out[c] = k
		}
	}
	return out
}

// Text is the reply's body as plain text, without notices and sources:
// lead lines, quotes with their [n], prose and messages. For checks and
// logs of length, not for display.
func (r Reply) Text() string { return renderBody(r) }

// fingerprint hashes what identifies an answer apart from its question:
// the cited chunk ids, in order, and the knowledge-base version.
func fingerprint(sources []Source, kbVersion int64) string {
	if len(sources) == 0 {
		return ""
	}
	ids := make([]int64, len(sources))
	for i, s := range sources {
		ids[i] = s.ChunkID
	}
	slices.Sort(ids)
	h := sha256.New()
	fmt.Fprintf(h, "kb:%d", kbVersion)
	for _, id := range ids {
		fmt.Fprintf(h, "|%d", id)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
