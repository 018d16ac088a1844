package knowledge

import (
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"
)

// allocated returns the bytes fn allocates.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Text structure and splitting must cost time and memory in proportion to
// the text. Two shapes made them quadratic: lines ending in a hyphenated
// word (each join copied the paragraph so far) and paragraphs cut by
// blank lines in mid-sentence (each merge copied it again); 2 MB of
// either took 35-40 s and allocated 37-40 GB. The bytes allocated are
// counted (not the time, which depends on the machine): linear work
// allocates a small multiple of its input.
func TestStructureAndSplitAreLinear(t *testing.T) {
	words := strings.Fields("de mentor belt de ouders op de eerste dag van het verzuim en legt het gesprek vast in het leerlingdossier")
	line := func(i int) string {
		var b strings.Builder
		for k := range 10 {
			b.WriteString(words[(i*7+k)%len(words)])
			b.WriteByte(' ')
		}
		return b.String()
	}
	shapes := map[string]func(size int) string{
		"hyphenated line ends": func(size int) string {
			var b strings.Builder
			for i := 0; b.Len() < size; i++ {
				b.WriteString(line(i) + "ge-\n")
			}
			return b.String()
		},
		"paragraphs cut in mid-sentence": func(size int) string {
			var b strings.Builder
			for i := 0; b.Len() < size; i++ {
				b.WriteString(strings.TrimSpace(line(i)) + "\n\n")
			}
			return b.String()
		},
		"one line without a full stop": func(size int) string {
			var b strings.Builder
			for i := 0; b.Len() < size; i++ {
				b.WriteString(line(i))
			}
			return b.String()
		},
		"one word": func(size int) string { return strings.Repeat("x", size) },
	}
	const size = 1 << 20
	for name, make := range shapes {
		t.Run(name, func(t *testing.T) {
			var chunks []Chunk
			small, large := make(size/4), make(size)
			nSmall := allocated(func() { Split(ParseText(small, 0), DefaultSplit) })
			n := allocated(func() { chunks = Split(ParseText(large, 0), DefaultSplit) })
			t.Logf("%s: %d kB for 256 kB, %d kB for 1 MB", name, nSmall>>10, n>>10)
			if (!raceEnabled && n > 100*size) || n > 6*nSmall {
				t.Errorf("allocated %d MB for 1 MB and %d MB for a quarter of it: not linear", n>>20, nSmall>>20)
			}
			if len(chunks) == 0 && name != "one word" { // a word of a million letters is no passage
				t.Fatal("no chunks")
			}
			checkCaps(t, chunks, DefaultSplit)
		})
	}
}

func checkCaps(t *testing.T, chunks []Chunk, opt SplitOptions) {
	t.Helper()
	for _, c := range chunks {
		if n := utf8.RuneCountInString(c.Text); n > opt.maxChars() {
			t.Errorf("chunk %d has %d characters, the cap is %d", c.Ordinal, n, opt.maxChars())
		}
		if n := len(strings.Fields(c.Text)); n > opt.MaxWords {
			t.Errorf("chunk %d has %d words, the cap is %d", c.Ordinal, n, opt.MaxWords)
		}
		if n := utf8.RuneCountInString(c.Context); n > opt.maxChars() {
			t.Errorf("chunk %d: context of %d characters", c.Ordinal, n)
		}
		for _, h := range c.Heading {
			if n := utf8.RuneCountInString(h); n > maxHeadingChars {
				t.Errorf("chunk %d: heading of %d characters", c.Ordinal, n)
			}
		}
		if !utf8.ValidString(c.Text) {
			t.Errorf("chunk %d is not valid UTF-8", c.Ordinal)
		}
	}
}

// No passage passes the cap in characters or words, whatever the blocks
// an extractor returns: a 6 MB line without a full stop was one passage
// of 6 million characters, after which every question took 5-10 times as
// long; so was a heading of a megabyte, repeated on every passage under it.
func TestNoChunkPassesTheCap(t *testing.T) {
	long := strings.Repeat("verzuim en thuiszitten ", 50_000) // 1.1 MB, one sentence
	blocks := []Block{
		{Kind: Heading, Level: 1, Text: strings.Repeat("Kop ", 100_000)},
		{Kind: Paragraph, Text: long},
		{Kind: Paragraph, Text: strings.Repeat("é", 1<<20)}, // one word of a million letters
		{Kind: Paragraph, Text: strings.Repeat("Een zin met veel te lange woorden"+strings.Repeat("ë", 300)+". ", 50)},
		{Kind: Heading, Level: 2, Text: "Gewone kop"},
		{Kind: Paragraph, Text: "De mentor belt de ouders op de eerste dag van het verzuim."},
	}
	chunks := Split(blocks, DefaultSplit)
	checkCaps(t, chunks, DefaultSplit)
	last := chunks[len(chunks)-1]
	if last.Text != "De mentor belt de ouders op de eerste dag van het verzuim." || len(last.Heading) != 2 || last.Heading[1] != "Gewone kop" {
		t.Errorf("last chunk %+v", last)
	}
	var words int
	for _, c := range chunks[:len(chunks)-1] {
		words += len(strings.Fields(c.Text))
	}
	if want := len(strings.Fields(long)); words < want {
		t.Errorf("the capped chunks hold %d words of the long sentence's %d: text was lost", words, want)
	}
}
