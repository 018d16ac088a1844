package privacy

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token kinds.
const (
	tWord  = 'w' // starts with a letter (or an apostrophe in 't, 's)
	tNum   = 'n' // digits only
	tPunct = 'p' // one other rune
)

// token is one word, number or punctuation rune of the text.
type token struct {
	start, end  int    // byte offsets; end excludes a possessive 's
	low         string // lowercase form, possessive stripped
	kind        byte
	cap         bool // first letter is upper case
	upper       bool // two or more letters, all upper case
	sentStart   bool // first word of a sentence or line
	spaceBefore bool // whitespace between this and the previous token
	keep        bool // part of a keep term: never masked as a name
	poss        bool // had a possessive 's (Mila's)
}

func isApos(r rune) bool { return r == '\'' || r == '’' }

// tokenize splits text into tokens. It never allocates per rune and keeps
// byte offsets into the original text.
func tokenize(text string) []token {
	toks := make([]token, 0, len(text)/4+1)
	sentStart := true
	space := true
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '\n' || r == '\r':
			sentStart = true
			space = true
			i += size
		case unicode.IsSpace(r):
			space = true
			i += size
		case unicode.IsLetter(r) || (isApos(r) && space && i+size < len(text) && startsShortParticle(text[i+size:])):
			j := i + size
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if unicode.IsLetter(r2) || unicode.IsDigit(r2) || r2 == '\u0301' || r2 == '\u0308' {
					j += s2
					continue
				}
				if isApos(r2) && j+s2 < len(text) {
					r3, _ := utf8.DecodeRuneInString(text[j+s2:])
					if unicode.IsLetter(r3) {
						j += s2
						continue
					}
				}
				break
			}
			t := token{start: i, end: j, kind: tWord, sentStart: sentStart, spaceBefore: space}
			w := text[i:j]
			if n := len(w); n > 3 && (strings.HasSuffix(w, "'s") || strings.HasSuffix(w, "’s")) {
				cut := strings.LastIndexAny(w, "'’")
				t.end = i + cut
				w = w[:cut]
				t.poss = true
			}
			t.low = strings.ToLower(w)
			first, _ := utf8.DecodeRuneInString(w)
			if isApos(first) {
				first, _ = utf8.DecodeRuneInString(w[len(string(first)):])
			}
			t.cap = unicode.IsUpper(first)
			if t.cap && utf8.RuneCountInString(w) >= 2 {
				t.upper = true
				for _, c := range w {
					if unicode.IsLower(c) {
						t.upper = false
						break
					}
				}
			}
			toks = append(toks, t)
			sentStart, space = false, false
			i = j
		case r >= '0' && r <= '9':
			j := i + 1
			for j < len(text) && text[j] >= '0' && text[j] <= '9' {
				j++
			}
			toks = append(toks, token{start: i, end: j, low: text[i:j], kind: tNum, sentStart: sentStart, spaceBefore: space})
			sentStart, space = false, false
			i = j
		default:
			toks = append(toks, token{start: i, end: i + size, low: text[i : i+size], kind: tPunct, spaceBefore: space})
			if r == '.' || r == '!' || r == '?' || r == ':' || r == ';' || r == '"' || r == '•' || r == '*' {
				sentStart = true
			} else if !(r == '(' || r == '-' || r == '\'' || r == '’') {
				sentStart = false
			}
			space = false
			i += size
		}
	}
	return toks
}

// startsShortParticle reports whether s starts with "t" or "s" followed by
// a non-letter, as in 't and 's.
func startsShortParticle(s string) bool {
	if s == "" || (s[0] != 't' && s[0] != 's') {
		return false
	}
	if len(s) == 1 {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[1:])
	return !unicode.IsLetter(r)
}

// asciiLower lowercases ASCII letters only, so byte offsets stay valid.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + ('a' - 'A')
				}
			}
			return string(b)
		}
	}
	return s
}

// forEachWord calls f for every run of letters in text.
func forEachWord(text string, f func(string)) {
	start := -1
	for i, r := range text {
		if unicode.IsLetter(r) || (start >= 0 && r == '-') {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			f(strings.TrimRight(text[start:i], "-"))
			start = -1
		}
	}
	if start >= 0 {
		f(strings.TrimRight(text[start:], "-"))
	}
}

// isWordByte reports whether c can be part of a word (ASCII letters and
// digits, or any byte of a multi-byte rune).
func isWordByte(c byte) bool {
	return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// markKeep flags the tokens that belong to a keep term.
func (lx *lexicon) markKeep(text string, toks []token) {
	var low string
	for _, term := range lx.keepMulti {
		if low == "" {
			low = asciiLower(text)
		}
		for from := 0; from < len(low); {
			k := strings.Index(low[from:], term)
			if k < 0 {
				break
			}
			s, e := from+k, from+k+len(term)
			from = e
			if (s > 0 && isWordByte(low[s-1])) || (e < len(low) && isWordByte(low[e])) {
				continue
			}
			for i := range toks {
				if toks[i].start >= s && toks[i].end <= e {
					toks[i].keep = true
				}
			}
		}
	}
	for i := range toks {
		if toks[i].kind == tWord && lx.keep[toks[i].low] {
			toks[i].keep = true
		}
	}
}
