package bot

import (
	"fmt"
	"strings"
)

// MarkdownOptions choose what a Markdown rendering shows.
type MarkdownOptions struct {
	// Public leaves out the notices meant for the asker alone (the
	// privacy warning), for a reply posted where others read it; the
	// platform shows those to the asker apart.
	Public bool
	// Links writes a source's title as a link to its URL, for platforms
	// that render Markdown links; else the URL follows the source line.
	Links bool
}

// Markdown renders a reply for a terminal or a chat platform that reads
// Markdown (Mattermost): notices, the body (lead lines, quotes as block
// quotes with [n], model prose, messages, the known documents), then the
// sources with section, page, region and link.
func Markdown(r Reply, o MarkdownOptions) string {
	var b strings.Builder
	for _, n := range r.Notices {
		if o.Public && n.Private {
			continue
		}
		b.WriteString("⚠️ " + n.Text + "\n\n")
	}
	b.WriteString(renderBody(r))
	b.WriteString("\n")
	if len(r.Sources) > 0 {
		b.WriteString("\nBronnen:\n")
		for _, s := range r.Sources {
			b.WriteString(SourceLine(s, o.Links) + "\n")
		}
	}
	return b.String()
}

// PrivateMarkdown renders the notices meant for the asker alone, for an
// ephemeral message; empty when there are none.
func PrivateMarkdown(r Reply) string {
	var parts []string
	for _, n := range r.Notices {
		if n.Private {
			parts = append(parts, "⚠️ "+n.Text)
		}
	}
	return strings.Join(parts, "\n\n")
}

// renderBody writes the blocks: a lead line directly above its quotes, a
// blank line between everything else.
func renderBody(r Reply) string {
	var b strings.Builder
	var prev BlockKind
	for i, bl := range r.Blocks {
		text := ""
		switch bl.Kind {
		case Quote:
			text = fmt.Sprintf("> „%s” [%d]", bl.Text, bl.N)
		case KnownList:
			if len(r.Known) == 0 {
				continue
			}
			text = "Ik ken deze documenten:"
			for _, d := range r.Known {
				text += "\n- " + d.Title
				if d.Region != "" {
					text += " (" + d.Region + ")"
				}
			}
		default:
			text = bl.Text
		}
		if i > 0 {
			if prev == LeadLine || bl.Kind == Quote && prev == Quote {
				b.WriteString("\n")
			} else {
				b.WriteString("\n\n")
			}
		}
		b.WriteString(text)
		prev = bl.Kind
	}
	return b.String()
}

// SourceLine is one line of the source list: "[1] Title — Section,
// pagina 3 (Twente) link". With links, the title links to the URL.
func SourceLine(s Source, links bool) string {
	title := s.Title
	if links && s.URL != "" {
		title = "[" + escapeLinkText(s.Title) + "](" + s.URL + ")"
	}
	line := fmt.Sprintf("[%d] %s", s.N, title)
	if sec := s.Section(); sec != "" {
		line += " — " + sec
	}
	if p := s.Pages(); p != "" {
		line += ", " + p
	}
	if s.Region != "" {
		line += " (" + s.Region + ")"
	}
	if !links && s.URL != "" {
		line += " " + s.URL
	}
	return line
}

var linkText = strings.NewReplacer("[", "\\[", "]", "\\]")

func escapeLinkText(s string) string { return linkText.Replace(s) }
