package slack

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/wegwijs/wegwijs/bot"
	"github.com/wegwijs/wegwijs/bot/curate"
)

// Slack's limits on a message (Block Kit).
const (
	MaxBlocks    = 50   // blocks per message
	MaxTextRunes = 3000 // characters in one section's text
	// maxContext is the elements a context block holds.
	maxContext = 10
	// maxFallback is what the plain text of a notification keeps.
	maxFallback = 3000
)

// Action ids of the buttons the bot puts under a reply.
const (
	ActionFeedbackUp   = "feedback_up"
	ActionFeedbackDown = "feedback_down"
	ActionShare        = "share"
)

// Message is one Slack message: its blocks and the plain text Slack shows
// in notifications and where blocks are not shown.
type Message struct {
	Blocks []slack.Block
	Text   string
}

// RenderOptions choose what a rendering holds.
type RenderOptions struct {
	// Private keeps the notices meant for the asker alone (an ephemeral
	// message); else they are left out, for a message others read.
	Private bool
	// Feedback adds 👍/👎 buttons under an answer.
	Feedback bool
	// ShareID, when set, adds a button to share the answer in the
	// channel, carrying this id.
	ShareID string
}

// Messages renders a reply in Block Kit: notices as context blocks, the
// body as sections (a lead line with its quotes, each quote with its
// number; a model's prose; messages), the sources with their links as a
// context block, and buttons. Within Slack's limits: a section never holds
// more than 3000 characters and is split between quotes, never inside one,
// and a message never more than 50 blocks (the rest goes into a next
// message of the same thread).
func Messages(r bot.Reply, o RenderOptions) []Message {
	var blocks []slack.Block
	for _, n := range r.Notices {
		if n.Private && !o.Private {
			continue
		}
		blocks = append(blocks, slack.NewContextBlock("", mrkdwn("⚠️ "+escape(n.Text))))
	}
	for _, text := range sections(r) {
		blocks = append(blocks, slack.NewSectionBlock(mrkdwn(text), nil, nil))
	}
	if len(r.Sources) > 0 {
		var els []slack.MixedElement
		els = append(els, mrkdwn("*Bronnen*"))
		for _, s := range r.Sources {
			if len(els) == maxContext {
				blocks = append(blocks, slack.NewContextBlock("", els...))
				els = nil
			}
			els = append(els, mrkdwn(cut(sourceLine(s), MaxTextRunes)))
		}
		blocks = append(blocks, slack.NewContextBlock("", els...))
	}
	var buttons []slack.BlockElement
	if o.Feedback && r.Fingerprint != "" {
		value := feedbackValue(r)
		buttons = append(buttons,
			slack.NewButtonBlockElement(ActionFeedbackUp, value, plain("👍 Nuttig")),
			slack.NewButtonBlockElement(ActionFeedbackDown, value, plain("👎 Niet nuttig")))
	}
	if o.ShareID != "" && r.Outcome == bot.Answered {
		b := slack.NewButtonBlockElement(ActionShare, o.ShareID, plain("Delen in het kanaal"))
		b.Style = slack.StylePrimary
		buttons = append(buttons, b)
	}
	if len(buttons) > 0 {
		blocks = append(blocks, slack.NewActionBlock("wegwijs_actions", buttons...))
	}
	text := fallback(r, o)
	var out []Message
	for len(blocks) > MaxBlocks {
		out = append(out, Message{Blocks: blocks[:MaxBlocks], Text: text})
		blocks, text = blocks[MaxBlocks:], "(vervolg)"
	}
	return append(out, Message{Blocks: blocks, Text: text})
}

// sections lays the body out as section texts of at most MaxTextRunes:
// a lead line starts a section and its quotes follow; a section is closed
// before a quote that does not fit.
func sections(r bot.Reply) []string {
	var c sectionCutter
	for _, b := range r.Blocks {
		switch b.Kind {
		case bot.LeadLine:
			c.add("*"+escape(b.Text)+"*", true)
		case bot.Quote:
			c.add(fmt.Sprintf("> „%s” [%d]", escape(b.Text), b.N), false)
		case bot.Prose:
			for _, line := range strings.Split(toMrkdwn(b.Text), "\n") {
				c.add(line, false)
			}
		case bot.KnownList:
			if len(r.Known) == 0 {
				continue
			}
			c.add("*Ik ken deze documenten:*", true)
			for _, d := range r.Known {
				line := "• " + escape(d.Title)
				if d.URL != "" {
					line = "• " + link(d.URL, d.Title)
				}
				if d.Region != "" {
					line += " (" + escape(d.Region) + ")"
				}
				c.add(line, false)
			}
		default: // Message, Hint
			c.add(escape(b.Text), true)
		}
	}
	return c.done()
}

// sectionCutter gathers lines into section texts of at most MaxTextRunes,
// cutting a line longer than that at a space.
type sectionCutter struct {
	out []string
	cur strings.Builder
}

func (c *sectionCutter) flush() {
	if s := strings.TrimRight(c.cur.String(), "\n"); s != "" {
		c.out = append(c.out, s)
	}
	c.cur.Reset()
}

// add puts a line in the section, or in a new one when it does not fit
// or startsSection.
func (c *sectionCutter) add(text string, startsSection bool) {
	if startsSection {
		c.flush()
	}
	for utf8.RuneCountInString(text) > MaxTextRunes { // one piece larger than a section
		c.flush()
		head, rest := splitAt(text, MaxTextRunes)
		c.out = append(c.out, head)
		text = rest
	}
	if utf8.RuneCountInString(c.cur.String())+utf8.RuneCountInString(text)+1 > MaxTextRunes {
		c.flush()
	}
	c.cur.WriteString(text + "\n")
}

func (c *sectionCutter) done() []string {
	c.flush()
	return c.out
}

// splitAt cuts text at the last space before n runes (or at n).
func splitAt(text string, n int) (string, string) {
	r := []rune(text)
	cutAt := n
	for i := n; i > n/2; i-- {
		if r[i] == ' ' {
			cutAt = i
			break
		}
	}
	return string(r[:cutAt]), strings.TrimLeft(string(r[cutAt:]), " ")
}

// sourceLine is "[1] <url|Title> — Section, pagina 3 (Twente)".
func sourceLine(s bot.Source) string {
	title := "*" + escape(s.Title) + "*"
	if s.URL != "" {
		title = link(s.URL, s.Title)
	}
	line := fmt.Sprintf("[%d] %s", s.N, title)
	if sec := s.Section(); sec != "" {
		line += " — " + escape(sec)
	}
	if p := s.Pages(); p != "" {
		line += ", " + p
	}
	if s.Region != "" {
		line += " (" + escape(s.Region) + ")"
	}
	return line
}

// feedbackValue is what the 👍/👎 buttons carry: the fingerprint and the
// cited documents' names (at most 2000 characters, Slack's limit).
func feedbackValue(r bot.Reply) string {
	v := r.Fingerprint
	for _, s := range r.Sources {
		if strings.Contains(v, "|"+s.Document) {
			continue
		}
		if len(v)+1+len(s.Document) > 1900 {
			break
		}
		v += "|" + s.Document
	}
	return v
}

// parseFeedbackValue reads a feedback button's value back.
func parseFeedbackValue(v string) (fingerprint string, documents []string) {
	parts := strings.Split(v, "|")
	return parts[0], parts[1:]
}

// fallback is the plain text of a message, for notifications.
func fallback(r bot.Reply, o RenderOptions) string {
	var parts []string
	for _, n := range r.Notices {
		if !n.Private || o.Private {
			parts = append(parts, "⚠️ "+n.Text)
		}
	}
	parts = append(parts, r.Text())
	return cut(strings.Join(parts, "\n\n"), maxFallback)
}

func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

func mrkdwn(text string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, text, false, false)
}

func plain(text string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, text, true, false)
}

// escape makes text safe as Slack mrkdwn: &, < and > are control
// characters there.
func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// link is a mrkdwn link: <url|text>.
func link(url, text string) string {
	return "<" + strings.NewReplacer("|", "%7C", ">", "%3E").Replace(url) + "|" + strings.ReplaceAll(escape(text), "|", "¦") + ">"
}

// toMrkdwn turns a model's Markdown into Slack mrkdwn: **bold** is *bold*,
// [text](url) is <url|text>, and & < > are escaped.
func toMrkdwn(md string) string {
	s := escape(md)
	s = strings.ReplaceAll(s, "**", "*")
	var b strings.Builder
	for {
		i := strings.Index(s, "](")
		open := strings.LastIndex(s[:max(i, 0)], "[")
		end := strings.Index(s[max(i, 0):], ")")
		if i < 0 || open < 0 || end < 0 {
			b.WriteString(s)
			return b.String()
		}
		text, url := s[open+1:i], s[i+2:i+end]
		if strings.ContainsAny(url, " \n") {
			b.WriteString(s[:i+2])
			s = s[i+2:]
			continue
		}
		b.WriteString(s[:open] + "<" + url + "|" + text + ">")
		s = s[i+end+1:]
	}
}

// markdownToMrkdwn turns the Markdown of a curator's reply into mrkdwn
// (toMrkdwn, line by line): a list item is a bullet, and a pipe table,
// which Slack cannot show, is a bullet per row: "first — second — header:
// value · …", leaving out empty cells and "-".
func markdownToMrkdwn(md string) string {
	lines := strings.Split(md, "\n")
	var out []string
	for i := 0; i < len(lines); i++ {
		if i+1 < len(lines) && tableRow(lines[i]) && tableRule(lines[i+1]) {
			header := tableCells(lines[i])
			for i += 2; i < len(lines) && tableRow(lines[i]); i++ {
				out = append(out, tableLine(header, tableCells(lines[i])))
			}
			i--
			continue
		}
		out = append(out, listItem(lines[i]))
	}
	return strings.Join(out, "\n")
}

func tableRow(line string) bool {
	line = strings.TrimSpace(line)
	return len(line) > 1 && strings.HasPrefix(line, "|") && strings.HasSuffix(line, "|")
}

// tableRule is the line under a table's header: | --- | :-: |.
func tableRule(line string) bool {
	if !tableRow(line) {
		return false
	}
	for _, c := range tableCells(line) {
		if strings.Trim(c, ":-") != "" || !strings.Contains(c, "-") {
			return false
		}
	}
	return true
}

func tableCells(line string) []string {
	line = strings.TrimSpace(line)
	cells := strings.Split(line[1:len(line)-1], "|")
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	return cells
}

func tableLine(header, row []string) string {
	var head, rest []string
	for j, c := range row {
		switch {
		case c == "" || c == "-":
		case j < 2:
			head = append(head, toMrkdwn(c))
		case j < len(header) && header[j] != "":
			rest = append(rest, toMrkdwn(strings.ToLower(header[j])+": "+c))
		default:
			rest = append(rest, toMrkdwn(c))
		}
	}
	if len(rest) > 0 {
		head = append(head, strings.Join(rest, " · "))
	}
	return "• " + strings.Join(head, " — ")
}

// listItem makes "- item" a bullet, "  - item" an indented one.
func listItem(line string) string {
	body := strings.TrimLeft(line, " ")
	indent := len(line) - len(body)
	for _, marker := range []string{"- ", "* "} {
		if rest, ok := strings.CutPrefix(body, marker); ok {
			if indent >= 2 {
				return "    ◦ " + toMrkdwn(rest)
			}
			return "• " + toMrkdwn(rest)
		}
	}
	return toMrkdwn(line)
}

// textSections cuts mrkdwn into section texts of at most MaxTextRunes,
// between lines where it can.
func textSections(text string) []string {
	var c sectionCutter
	for _, line := range strings.Split(text, "\n") {
		c.add(line, false)
	}
	return c.done()
}

// curatorBlocks renders a curator's response in Block Kit: its text as
// sections of mrkdwn (tables as lines), and its buttons in an actions
// block, each carrying value(button).
func curatorBlocks(r curate.Response, value func(curate.Button) string) Message {
	text := markdownToMrkdwn(r.Text)
	var blocks []slack.Block
	for _, s := range textSections(text) {
		if len(blocks) == MaxBlocks-1 {
			break // a very long list: the rest would not fit in a message
		}
		blocks = append(blocks, slack.NewSectionBlock(mrkdwn(s), nil, nil))
	}
	var buttons []slack.BlockElement
	for _, b := range r.Buttons {
		e := slack.NewButtonBlockElement(b.Action, value(b), plain(b.Label))
		switch b.Style {
		case "primary":
			e.Style = slack.StylePrimary
		case "danger":
			e.Style = slack.StyleDanger
		}
		buttons = append(buttons, e)
	}
	if len(buttons) > 0 {
		blocks = append(blocks, slack.NewActionBlock("wegwijs_kb", buttons...))
	}
	return Message{Blocks: blocks, Text: cut(strings.TrimSpace(text), maxFallback)}
}

// sealButton is what a curator's button carries: the action, what it
// works on, and a seal over both and the channel, so a click is only
// taken from a button Wegwijs made there. The key is the bot token, a
// secret only Wegwijs and Slack hold.
func sealButton(key, channel string, b curate.Button) string {
	return b.Action + "|" + b.Value + "|" + seal(key, b.Action, b.Value, channel)
}

// openButton checks a clicked button's value and returns what it works on.
func openButton(key, channel, actionID, v string) (string, bool) {
	action, rest, ok := strings.Cut(v, "|")
	i := strings.LastIndexByte(rest, '|')
	if !ok || i < 0 || action != actionID {
		return "", false
	}
	value, sig := rest[:i], rest[i+1:]
	return value, hmac.Equal([]byte(sig), []byte(seal(key, action, value, channel)))
}

func seal(key string, parts ...string) string {
	m := hmac.New(sha256.New, []byte(key))
	for _, p := range parts {
		m.Write([]byte(p))
		m.Write([]byte{0})
	}
	return hex.EncodeToString(m.Sum(nil)[:16])
}
