package nl

import (
	"regexp"
	"strings"
)

// chatWords are words typed in chat that carry no topic: fillers,
// greetings, chat abbreviations and the spelling slips and shorthand of
// function words. They are not stop words of the documents' language (a
// document may well say "precies" or "gewoon"), so the question search
// keeps them, but weighs them lightly (see IsChatWord).
var chatWords = set(`zn ff effe efkes even oké oke okay ok okee gewoon eigenlijk precies zegt zeg ofzo enzo enz
	bv bijv hoor toch trouwens nou echt gwn idd mss misschien ong pls plz aub ajb svp graag thx tnx dank bedankt
	alvast hallo hoi hey hi hee goedemorgen goedemiddag vraagje iemand jullie hier daar dr wt hte ene vd vh ivm mbt
	tov dwz oa evt ipv iets beetje zoiets lol haha hmm eh uhm euh joh hé he ja nee jawel`)

// IsChatWord reports whether a (lower-case) word is chat language: no
// topic of its own.
func IsChatWord(w string) bool { return chatWords[w] }

// rolePreamble finds the role an asker introduces herself with ("ik ben
// ib'er en …", "als mentor vraag ik me af …", "ik werk als zorgcoördinator
// en …"): the role says who asks, not what.
var rolePreamble = regexp.MustCompile(`(?i)^\s*(?:hoi|hallo|hey|goedemorgen|goedemiddag)?[,!. ]*(?:ik\s+ben\s+(?:een\s+|de\s+)?|ik\s+werk\s+als\s+(?:een\s+)?|als\s+(?:een\s+|de\s+)?)([\p{L}'’\-]+(?:\s+[\p{L}'’\-]+)?)\s*(?:,|\s+en\b|\s+bij\b|\s+op\b|\s+in\b|\s+vraag\b|\s+wil\b|\s+heb\b|\s+zou\b|\s+kan\b|\s+mag\b|\s+moet\b|\s+ik\b)`)

// PreambleRole returns the words of the role a question opens with
// ("ik ben ib'er en …" → ["ib'er"]), lower case, or nil.
func PreambleRole(question string) []string {
	m := rolePreamble.FindStringSubmatch(question)
	if m == nil {
		return nil
	}
	var out []string
	for _, w := range Words(m[1]) {
		out = append(out, strings.ToLower(w))
	}
	return out
}
