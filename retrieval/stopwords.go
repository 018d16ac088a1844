package retrieval

import "strings"

// IsStopword reports whether a lower-case word carries no meaning for
// search in a question: function words, and the verbs and fillers of how
// people ask ("wie is aan zet", "wat doet", "zitten erbij").
func IsStopword(w string) bool { return stopwords[w] }

// Stopwords lists the stop words, in no particular order.
func Stopwords() []string {
	out := make([]string, 0, len(stopwords))
	for w := range stopwords {
		out = append(out, w)
	}
	return out
}

var stopwords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`de het een en of van in op voor met is die dat te door aan bij om naar
		deze dit als zijn wordt tot uit ook er hij zij ze we wij je jij u ik wat wie hoe waar wanneer welke
		welk niet geen maar dan nog wel al zo kan kun kunnen moet moeten mag mogen worden werd was waren
		heeft hebben had over onder tegen tussen na zonder want omdat dus hun haar zich mijn jouw uw ons
		onze doen doet gaat gaan komt komen zet zetten staat staan iets heel veel meer erbij eraan ervoor
		zit zitten precies eigenlijk graag iemand wordt waarom welke hier daar nu even snel toch echt
		ben bent zijn hebt heb wil wilt willen zou zouden weet weten vind vindt eens ok oke hoi hallo
		goed dag bedankt dank alvast svp aub iemand je jullie m'n mn hoeveel hoelang waarvoor waarop
		waarmee waarover krijgt krijgen krijg bestaat bestaan eigen zelf andere ander anders gebeurt
		gebeuren kunt mogen moeten wil ga gaat terecht iemand welk`) {
		m[w] = true
	}
	return m
}()
