package nl

import (
	"regexp"
	"strings"
)

// InfinitiveStems lets a present-tense -t form of a question's word
// ("valt", "geldt", "bepaalt") meet its verb's other forms in a sentence
// ("vallen", "gelden", "bepalen"): the Dutch Snowball stemmer keeps the
// -t, so their stems differ. It returns the stems (by stem) of the
// infinitives the word can come from: "werkt" → "werken", "valt" →
// "vallen" (a short vowel doubles the consonant), "bepaalt" → "bepalen" (a
// long vowel loses its second letter in the open syllable), "doet" →
// "doen". Read only a question's word this way, so that no sentence word
// gains a form: "maar" does not meet "maart", nor "al" "alle". Words of
// fewer than four letters ("wet"), with other than the letters a–z, and
// stems of fewer than three letters or equal to the word's own stem are
// left out. A stop word can have such a stem ("maart" → "maren" has the
// stem of "maar"); the caller decides what to do with those.
func InfinitiveStems(word string, stem func(string) string) []string {
	if len(word) < 4 || !strings.HasSuffix(word, "t") {
		return nil
	}
	for i := 0; i < len(word); i++ {
		if word[i] < 'a' || word[i] > 'z' {
			return nil
		}
	}
	root := strings.TrimSuffix(word, "t")
	n := len(root)
	var infs []string
	switch {
	case isVowel(root[n-1]):
		infs = append(infs, root+"n") // doet → doen, gaat → gaan
	default:
		infs = append(infs, root+"en")
		if n >= 3 && isVowel(root[n-2]) && root[n-3] == root[n-2] {
			infs = append(infs, root[:n-2]+root[n-1:]+"en") // bepaal → bepalen
		} else if isVowel(root[n-2]) && (n < 3 || !isVowel(root[n-3])) {
			infs = append(infs, root+root[n-1:]+"en") // val → vallen
		}
	}
	own := stem(word)
	var out []string
	for _, inf := range infs {
		if st := stem(inf); len(st) >= 3 && st != own {
			out = append(out, st)
		}
	}
	return out
}

func isVowel(b byte) bool { return strings.IndexByte("aeiouy", b) >= 0 }

// minSingular is the shortest singular a plural ending is stripped to:
// "lpas" is not "lpa", but "thuiszitters" is "thuiszitter".
const minSingular = 4

// Singulars are the singulars a lower-case word may be the regular plural
// of: without its -s ("thuiszitters" → "thuiszitter") and without its -en
// ("mentoren" → "mentor"), each only when at least four letters remain.
// They are guesses to look up, not checked words.
func Singulars(w string) []string {
	var s [2]string
	out := s[:0]
	if len(w) > minSingular && strings.HasSuffix(w, "s") {
		out = append(out, w[:len(w)-1])
	}
	if len(w) > minSingular+1 && strings.HasSuffix(w, "en") {
		out = append(out, w[:len(w)-2])
	}
	return out
}

// IsPluralOf reports whether w is singular with a regular plural ending,
// -s or -en, and singular has at least four letters: "thuiszitters" of
// "thuiszitter", "mentoren" of "mentor", not "lpas" of "lpa".
func IsPluralOf(w, singular string) bool {
	return len(singular) >= minSingular && len(w) > len(singular) && strings.HasPrefix(w, singular) &&
		(w[len(singular):] == "s" || w[len(singular):] == "en")
}

// purposeClause matches a Dutch purpose clause, "om … te" and its verb
// (an infinitive ends in -n).
var purposeClause = regexp.MustCompile(`(?i)\bom\b[^,?.!]*?\bte\s+\p{L}+n\b`)

// PurposeClause finds the first purpose clause in s, "om … te" with an
// infinitive: "om een vrijstelling aan te vragen", "om met
// schoolaanwezigheid aan de slag te gaan", but not "om de dag te laat" or
// "gaat het om een leerling die te vaak ziek is". It returns the clause's
// byte offsets, or ok false when there is none. The clause does not run
// past a comma or the end of a sentence.
func PurposeClause(s string) (start, end int, ok bool) {
	loc := purposeClause.FindStringIndex(s)
	if loc == nil {
		return 0, 0, false
	}
	return loc[0], loc[1], true
}
