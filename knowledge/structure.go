package knowledge

import (
	"iter"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wegwijs/wegwijs/knowledge/nl"
)

// ParseText finds the structure in raw text: the text of a plain-text file
// or of one PDF page. Blank lines separate blocks; a block that is a heading
// becomes a Heading block, the rest paragraphs. Words broken over lines are
// joined, sentences interrupted by a blank line (two-column text run
// together) are merged, and boilerplate lines (cookie notices, "terug naar
// begin" links, share buttons) are dropped.
//
// Heading levels: an all-capitals heading ("STAP 3: MET WIE WERK JE
// SAMEN", "VOORBEELDEN") is level 1, a short line in normal case that
// stands on its own ("Rol van het SWV", "Wat willen we bereiken?") is level 2.
func ParseText(text string, page int) []Block {
	var out []Block
	for _, raw := range splitBlocks(text) {
		out = parseBlock(out, cleanLines(raw), page)
	}
	return finishText(out)
}

// ParseTextLines is ParseText over the lines of a text, read one at a time
// (without their line breaks): ParseTextStream, collected.
func ParseTextLines(lines iter.Seq[string], page int) []Block {
	return slices.Collect(ParseTextStream(lines, page))
}

// maxBlockBytes bounds the text held for one block: a run of lines longer
// than this without a blank line (text that is not laid out as prose) is
// read as several blocks, and a paragraph cut by stray blank lines is not
// joined past it.
const maxBlockBytes = 1 << 20

// ParseTextStream is ParseText over the lines of a text, read one at a time
// (without their line breaks), yielding each block as soon as the blocks
// after it can no longer change it, so that a large file is never held
// whole, nor its blocks: only the block being read and the one before it.
// A line of nothing but spaces and tabs ends a block, as a blank line does
// in ParseText.
func ParseTextStream(lines iter.Seq[string], page int) iter.Seq[Block] {
	raw := func(yield func(Block) bool) {
		var cur []string
		var buf []Block
		size := 0
		emit := func() bool {
			buf = parseBlock(buf[:0], cleanLines(strings.Join(cur, "\n")), page)
			clear(cur)
			cur, size = cur[:0], 0
			for _, b := range buf {
				if !yield(b) {
					return false
				}
			}
			return true
		}
		for l := range lines {
			blank := isBlankLine(l)
			if blank || size+len(l) > maxBlockBytes {
				if !emit() {
					return
				}
				if blank {
					continue
				}
			}
			cur = append(cur, l)
			size += len(l) + 1
		}
		emit()
	}
	return finishBlocks(raw)
}

// isBlankLine reports a line that splitBlocks takes for a blank line.
func isBlankLine(l string) bool {
	for _, r := range l {
		switch r {
		case ' ', '\t', '\f', '\v', '\u00a0':
		default:
			return false
		}
	}
	return true
}

// parseBlock adds the blocks of one block of text (its clean lines).
func parseBlock(out []Block, lines []string, page int) []Block {
	if len(lines) == 0 {
		return out
	}
	// A web page's heading is often followed by its paragraph with no
	// blank line in between: split off such a first line.
	if len(lines) > 1 && isMixedHeading(lines[0]) && !isBullet(lines[1]) && utf8.RuneCountInString(lines[1]) > 60 {
		out = append(out, Block{Kind: Heading, Level: 2, Text: lines[0], Page: page})
		lines = lines[1:]
	}
	// A heading in capitals glued under other text (no blank line).
	var trailing []string
	for k := min(4, len(lines)-1); k >= 1; k-- {
		if capsHeading(lines[len(lines)-k:]) && !capsHeading(lines[len(lines)-k-1:len(lines)-k]) {
			trailing = lines[len(lines)-k:]
			lines = lines[:len(lines)-k]
			break
		}
	}
	if trailing != nil {
		out = appendParagraphs(out, lines, page)
		return append(out, Block{Kind: Heading, Level: 1, Text: stripNoise(joinLines(trailing)), Page: page})
	}
	if capsHeading(lines) {
		return append(out, Block{Kind: Heading, Level: 1, Text: stripNoise(joinLines(lines)), Page: page})
	}
	if len(lines) <= 2 && isMixedHeading(joinLines(lines)) && (len(lines) == 1 || hyphenated(lines[0], lines[1])) {
		return append(out, Block{Kind: Heading, Level: 2, Text: joinLines(lines), Page: page})
	}
	return appendParagraphs(out, lines, page)
}

// finishText corrects what one block at a time cannot see.
func finishText(out []Block) []Block {
	return slices.Collect(finishBlocks(slices.Values(out)))
}

// finishBlocks is finishText one block at a time: each step holds at most
// one block back.
func finishBlocks(blocks iter.Seq[Block]) iter.Seq[Block] {
	return dropBoilerplate(mergeBrokenParagraphs(fixHeadings(blocks)))
}

// fixHeadings corrects what one block at a time cannot see. A line that
// looked like a heading but is followed by text starting in lower case, or
// ends in a word such as "de" or "en", is a fragment of a sentence cut by a
// blank line (two-column PDF text); a title of up to three words keeps
// its place, since OCR often reads a capital I as "l". Two headings in capitals in a row are one heading cut by a blank line. A heading followed by
// no text before the next heading of its level is text, not a heading.
func fixHeadings(blocks iter.Seq[Block]) iter.Seq[Block] {
	return func(yield func(Block) bool) {
		var cur Block
		have := false
		for next := range blocks {
			if have {
				if b, keep := fixHeading(cur, &next); keep && !yield(b) {
					return
				}
			}
			cur, have = next, true
		}
		if have {
			if b, keep := fixHeading(cur, nil); keep {
				yield(b)
			}
		}
	}
}

// fixHeading is fixHeadings for one block, seeing the next (nil at the
// end), which it may change: keep is false when b is merged into next or
// dropped.
func fixHeading(b Block, next *Block) (_ Block, keep bool) {
	if b.Kind == Heading && b.Level == 2 &&
		(endsInFunctionWord(b.Text) || strings.Contains(b.Text, ". ") ||
			(next != nil && startsLower(next.Text) && len(strings.Fields(b.Text)) > 3)) {
		b.Kind, b.Level = Paragraph, 0
	}
	if b.Kind == Heading && b.Level == 1 && next != nil && next.Kind == Heading && next.Level == 1 {
		switch {
		case strings.HasPrefix(next.Text, b.Text+":"):
			return b, false // a short "STAP 3" before its full title
		case utf8.RuneCountInString(b.Text+next.Text) < 110:
			// one heading cut by a blank line ("DE BEDOELING" / "VOOROPSTELLEN")
			next.Text = joinLines([]string{b.Text, next.Text})
			return b, false
		}
	}
	// A heading with no text of its own (slides, sidebars) would lose its
	// words: keep them as a paragraph.
	if b.Kind == Heading && (next == nil || (next.Kind == Heading && next.Level <= b.Level)) {
		b.Kind, b.Level = Paragraph, 0
	}
	return b, true
}

// endsInFunctionWord tells a line whose last word (of two or more) leaves
// its sentence open: "de", "en/of" (nl.IsDangling).
func endsInFunctionWord(s string) bool {
	f := strings.Fields(s)
	return len(f) > 1 && nl.IsDangling(strings.ToLower(f[len(f)-1]))
}

// stripNoise removes a stray one-letter token that OCR put before a heading
// ("Q STAP 2").
func stripNoise(s string) string {
	if f := strings.Fields(s); len(f) > 1 && utf8.RuneCountInString(f[0]) == 1 && f[0] != "A" {
		r, _ := utf8.DecodeRuneInString(f[0])
		if unicode.IsLetter(r) {
			return strings.Join(f[1:], " ")
		}
	}
	return s
}

// appendParagraphs adds the lines of one block as paragraphs: bullet items
// each become a paragraph, other lines are joined.
func appendParagraphs(out []Block, lines []string, page int) []Block {
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, Block{Kind: Paragraph, Text: joinLines(cur), Page: page})
			cur = nil
		}
	}
	for _, l := range lines {
		if isBullet(l) {
			flush()
		}
		cur = append(cur, l)
		if isBullet(l) {
			flush()
		}
	}
	flush()
	return out
}

// mergeBrokenParagraphs joins a paragraph that does not end a sentence with
// the next when that one starts in lower case: one paragraph cut by a stray
// blank line, common in PDF text. The parts of one paragraph are joined
// once, at the end, so a long run of them costs what it holds.
func mergeBrokenParagraphs(blocks iter.Seq[Block]) iter.Seq[Block] {
	return func(yield func(Block) bool) {
		var last Block // the paragraph (or heading) held back
		have := false
		var parts []string // of last
		size := 0
		release := func() bool {
			if !have {
				return true
			}
			if len(parts) > 1 {
				last.Text = joinLines(parts)
			}
			have, parts = false, nil
			return yield(last)
		}
		for b := range blocks {
			// the paragraph so far ends as its last part does
			if have && b.Kind == Paragraph && last.Kind == Paragraph && last.Page == b.Page &&
				!endsSentence(parts[len(parts)-1]) && startsLower(b.Text) && size+len(b.Text) < maxBlockBytes {
				parts = append(parts, b.Text)
				size += len(b.Text) + 1
				continue
			}
			if !release() {
				return
			}
			last, have, parts, size = b, true, []string{b.Text}, len(b.Text)
		}
		release()
	}
}

func splitBlocks(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	return blankLine.Split(text, -1)
}

var blankLine = regexp.MustCompile(`\n[ \t\f\v\x{00a0}]*\n`)

var spaces = regexp.MustCompile(`[\s\x{00a0}]+`)

// cleanLines trims lines, drops empty ones, boilerplate lines and a line
// that repeats the one before it (PDF links are often printed thrice).
func cleanLines(block string) []string {
	var out []string
	for _, l := range strings.Split(block, "\n") {
		l = strings.TrimSpace(spaces.ReplaceAllString(l, " "))
		l = strings.Map(func(r rune) rune {
			if r == '\ufffd' || (unicode.IsControl(r) && r != '\t') {
				return -1
			}
			return r
		}, l)
		if l == "" || isBoilerplateLine(l) {
			continue
		}
		if n := len(out); n > 0 && out[n-1] == l {
			continue
		}
		out = append(out, l)
	}
	return out
}

var (
	backToStart  = regexp.MustCompile(`(?i)^\W{0,3}\w?\W{0,2}\s*terug naar begin$`)
	shareButtons = map[string]bool{
		"afbeeldingen": true, "twitter": true, "facebook": true, "linkedin": true, "whatsapp": true,
		"delen": true, "print": true, "printen": true, "deel deze pagina": true, "naar boven": true,
		"cookie-instellingen": true, "cookie-instellingen sluiten": true, "cookie-instellingen wijzigen": true,
		"cookies accepteren": true, "cookies weigeren": true, "menu": true, "zoeken": true,
	}
)

func isBoilerplateLine(l string) bool {
	lower := strings.ToLower(l)
	return backToStart.MatchString(l) || shareButtons[lower]
}

// dropBoilerplate removes paragraphs about the site's cookies.
func dropBoilerplate(blocks iter.Seq[Block]) iter.Seq[Block] {
	return func(yield func(Block) bool) {
		for b := range blocks {
			if b.Kind == Paragraph && strings.Contains(strings.ToLower(b.Text), "cookie") {
				continue
			}
			if !yield(b) {
				return
			}
		}
	}
}

// joinLines joins the lines of a paragraph with spaces, joining words that
// were hyphenated over a line break ("ge-" + "zamenlijke").
func joinLines(lines []string) string {
	n := 0
	for _, l := range lines {
		n += len(l) + 1
	}
	b := make([]byte, 0, n)
	for i, l := range lines {
		if i > 0 {
			if hyphenated(lines[i-1], l) {
				b = b[:len(b)-1] // drop the hyphen written before this line
			} else {
				b = append(b, ' ')
			}
		}
		b = append(b, l...)
	}
	return string(b)
}

// hyphenated reports whether prev ends in a word broken by a hyphen that
// continues on next: a letter and '-' at the end, and next starting with a
// lower-case letter (or both in capitals, for headings).
func hyphenated(prev, next string) bool {
	if len(prev) < 2 || !strings.HasSuffix(prev, "-") {
		return false
	}
	before, _ := utf8.DecodeLastRuneInString(prev[:len(prev)-1])
	first, _ := utf8.DecodeRuneInString(next)
	if !unicode.IsLetter(before) || !unicode.IsLetter(first) {
		return false
	}
	if unicode.IsLower(first) {
		return true
	}
	return unicode.IsUpper(before) && unicode.IsUpper(first)
}

// capsHeading reports whether the lines form a heading in capitals: at most
// five short lines, mostly upper-case letters, not ending a sentence.
func capsHeading(lines []string) bool {
	if len(lines) > 5 {
		return false
	}
	text := joinLines(lines)
	if utf8.RuneCountInString(text) > 110 {
		return false
	}
	letters, upper := 0, 0
	longest := 0
	for _, w := range strings.Fields(text) {
		n := 0
		for _, r := range w {
			if unicode.IsLetter(r) {
				letters++
				n++
				if unicode.IsUpper(r) {
					upper++
				}
			}
		}
		longest = max(longest, n)
	}
	if letters < 4 || longest < 3 || float64(upper) < 0.9*float64(letters) {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(text)
	return !strings.ContainsRune(".!,;", last)
}

// isMixedHeading reports whether a single line looks like a heading in
// normal case: short, starting with a capital, no sentence or list ending,
// not a link, not a bullet, and not a "Label:" line.
func isMixedHeading(l string) bool {
	n := utf8.RuneCountInString(l)
	if n < 4 || n > 80 || isBullet(l) || strings.Contains(l, "://") || strings.Contains(l, "@") {
		return false
	}
	first, _ := utf8.DecodeRuneInString(l)
	if !unicode.IsUpper(first) {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(l)
	if strings.ContainsRune(".,;:-–…)", last) || strings.HasSuffix(l, "...") {
		return false
	}
	words := strings.Fields(l)
	if len(words) > 12 {
		return false
	}
	letters := 0
	for _, r := range l {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters*2 > n
}

var bullet = regexp.MustCompile(`^([•·▪◦‣\-*–]|\d{1,2}[.)]|[a-z][.)])\s`)

func isBullet(l string) bool { return bullet.MatchString(l) }

func endsSentence(s string) bool {
	s = strings.TrimRight(s, " ”’\"')")
	last, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(".!?:;", last)
}

func startsLower(s string) bool {
	first, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLower(first)
}

// StructurePages turns raw page text (one Paragraph block per page, as the
// PDF extractor returns) into structured blocks, dropping running headers
// and footers: lines that recur on most pages.
func StructurePages(pages []Block) []Block {
	repeated := runningLines(pages)
	var out []Block
	for _, p := range pages {
		text := p.Text
		if len(repeated) > 0 {
			var keep []string
			for _, l := range strings.Split(text, "\n") {
				if !repeated[normalizeRunning(l)] {
					keep = append(keep, l)
				}
			}
			text = strings.Join(keep, "\n")
		}
		out = append(out, ParseText(text, p.Page)...)
	}
	return out
}

var digits = regexp.MustCompile(`\d+`)

func normalizeRunning(l string) string {
	return digits.ReplaceAllString(strings.ToLower(strings.TrimSpace(l)), "#")
}

// runningLines finds lines (with numbers masked, so "Pagina 3" matches
// "Pagina 4") among the first and last three lines of a page that appear
// there on more than half of the pages, for documents of four pages or
// more. Body text in the middle of a page, and long lines, are never taken
// for a header.
func runningLines(pages []Block) map[string]bool {
	if len(pages) < 4 {
		return nil
	}
	count := map[string]int{}
	for _, p := range pages {
		seen := map[string]bool{}
		var lines []string
		for _, l := range strings.Split(p.Text, "\n") {
			if strings.TrimSpace(l) != "" {
				lines = append(lines, l)
			}
		}
		if len(lines) > 6 {
			lines = append(lines[:3:3], lines[len(lines)-3:]...)
		}
		for _, l := range lines {
			if utf8.RuneCountInString(strings.TrimSpace(l)) > 70 {
				continue // headers and footers are short
			}
			k := normalizeRunning(l)
			if k == "" || seen[k] {
				continue
			}
			seen[k] = true
			count[k]++
		}
	}
	out := map[string]bool{}
	for k, n := range count {
		if n*2 > len(pages) {
			out[k] = true
		}
	}
	return out
}
