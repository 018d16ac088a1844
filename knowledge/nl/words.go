package nl

import (
	"strings"
	"unicode"
)

// IsWordRune reports whether r belongs to a word: a letter or a digit.
// Everything else (spaces, punctuation, signs, combining marks) separates
// words.
func IsWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func notWordRune(r rune) bool { return !IsWordRune(r) }

// Words splits text into lower-case words: runs of letters and digits
// (IsWordRune), lower-cased with strings.ToLower. This is how the Go side
// reads a sentence or a question for matching: the offline embedder, the
// extractive answer's matcher and the trigram list's question words all
// use it, and the stemmer agreement test against PostgreSQL checks it.
func Words(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), notWordRune)
}

// WordsAsWritten splits text into words as written, case kept, where "@"
// and the ASCII apostrophe count as letters: "M@ZL" and "IB'er" stay one
// word. It is the variant for looking words up in the glossary, whose
// terms hold such words and which folds case and accents itself; Words
// would split "ib'er" into "ib" and "er". (The typographic apostrophe is
// not kept, as it never was.)
func WordsAsWritten(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool { return !IsWordRune(r) && r != '@' && r != '\'' })
}

// letterWords splits text into lower-case runs of letters alone: a digit
// separates words too. LooksEnglish counts function words with it, which
// hold no digits, so "2the" still counts as "the".
func letterWords(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) })
}

// IsJoiner reports the characters that join the pieces of one word when
// they stand between letters or digits: apostrophes ("IB'er", "baby’s"),
// hyphens ("MDO-verslag", also the non-breaking and soft ones) and "@"
// ("M@ZL").
func IsJoiner(r rune) bool {
	switch r {
	case '\'', '’', '‘', '`', '´', '-', '‐', '‑', '@', '\u00ad':
		return true
	}
	return false
}

// FoldRune lowercases r and drops the accents Dutch text uses: "coördinator"
// folds to "coordinator", "CRÈCHE" to "creche". Other runes are only
// lower-cased.
func FoldRune(r rune) rune {
	r = unicode.ToLower(r)
	if r < 0xc0 {
		return r
	}
	switch r {
	case 'à', 'á', 'â', 'ä', 'ã', 'å':
		return 'a'
	case 'è', 'é', 'ê', 'ë':
		return 'e'
	case 'ì', 'í', 'î', 'ï':
		return 'i'
	case 'ò', 'ó', 'ô', 'ö', 'õ':
		return 'o'
	case 'ù', 'ú', 'û', 'ü':
		return 'u'
	case 'ç':
		return 'c'
	case 'ñ':
		return 'n'
	case 'ý', 'ÿ':
		return 'y'
	}
	return r
}
