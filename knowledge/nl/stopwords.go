package nl

import "strings"

// Three lists of Dutch words that carry no meaning of their own, each for
// its own purpose. They overlap but differ on purpose, and merging them
// would change what is searched, embedded or joined:
//
//   - IsStopword: the words a question's search leaves out. Function words
//     and also the verbs and fillers of how people ask ("wie is aan zet",
//     "wat doet", "zitten erbij", "hoeveel", "graag").
//   - IsFunctionWord: the function words alone, which the offline embedder
//     leaves out of a vector. It is a subset of the stop words: the
//     embedder keeps "doet", "zet" and "hoeveel", since a passage's
//     vector is made of the same features and every stored vector was made
//     with this list (another list makes another embedder).
//   - IsDangling: the words a line does not end in unless its sentence goes
//     on in the next line (articles, prepositions, conjunctions, "en/of"),
//     for joining lines of extracted text.

// IsStopword reports whether a lower-case word carries no meaning for
// search in a question: function words, and the verbs and fillers of how
// people ask ("wie is aan zet", "wat doet", "zitten erbij").
func IsStopword(w string) bool { return stopwords[w] }

// Stopwords lists the stop words of IsStopword, in no particular order.
func Stopwords() []string {
	out := make([]string, 0, len(stopwords))
	for w := range stopwords {
		out = append(out, w)
	}
	return out
}

// IsFunctionWord reports whether a lower-case word is a Dutch function word
// (article, pronoun, preposition, conjunction, auxiliary): what the offline
// embedder leaves out. Every function word is a stop word (IsStopword).
func IsFunctionWord(w string) bool { return functionWords[w] }

// IsDangling reports whether a line that ends in the lower-case word w
// goes on in the next line: an article, a preposition, a conjunction ("en",
// "of", "en/of") or a word such as "is" or "wordt" seldom ends a sentence.
func IsDangling(w string) bool { return dangling[w] }

var stopwords = set(`de het een en of van in op voor met is die dat te door aan bij om naar
	deze dit als zijn wordt tot uit ook er hij zij ze we wij je jij u ik wat wie hoe waar wanneer welke
	welk niet geen maar dan nog wel al zo kan kun kunnen moet moeten mag mogen worden werd was waren
	heeft hebben had over onder tegen tussen na zonder want omdat dus hun haar zich mijn jouw uw ons
	onze doen doet gaat gaan komt komen zet zetten staat staan iets heel veel meer erbij eraan ervoor
	zit zitten precies eigenlijk graag iemand wordt waarom welke hier daar nu even snel toch echt
	ben bent zijn hebt heb wil wilt willen zou zouden weet weten vind vindt eens ok oke hoi hallo
	goed dag bedankt dank alvast svp aub iemand je jullie m'n mn hoeveel hoelang waarvoor waarop
	waarmee waarover krijgt krijgen krijg bestaat bestaan eigen zelf andere ander anders gebeurt
	gebeuren kunt mogen moeten wil ga gaat terecht iemand welk`)

var functionWords = set(`de het een en of van in op voor met is die dat te door aan bij om naar
	deze dit als zijn wordt tot uit ook er hij zij ze we wij je jij u ik wat wie hoe waar wanneer
	niet geen maar dan nog wel al zo kan kunnen moet moeten mag mogen worden werd was waren heeft
	hebben had over onder tegen tussen na zonder want omdat dus hun haar zich mijn jouw uw ons onze`)

var dangling = set(`de het een en of van in op voor met is die dat te door aan bij om naar deze dit
	als zijn wordt tot uit ook of/en en/of hun haar`)

// set makes a set of the words of a white-space separated list.
func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}
