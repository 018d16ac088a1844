package nl

// LooksEnglish is a cheap check whether a question is English rather than
// Dutch: at least two English function words, and more of them than Dutch
// ones. It counts words of letters alone (a digit separates words too).
func LooksEnglish(s string) bool {
	en, nl := 0, 0
	for _, w := range letterWords(s) {
		if englishWords[w] {
			en++
		}
		if dutchWords[w] {
			nl++
		}
	}
	return en >= 2 && en > nl
}

// englishWords are English function words (and a few of the field) that
// are no Dutch words: not "of", "in", "we", "me", "is", "do" (donderdag),
// "student", "absent" or "i" (i.v.m.).
var englishWords = set(`the what who how can should does when which with about my are must absence share
	for and to this that from have has your our they their there would could where why be an if not it
	responsible parents teacher`)

// dutchWords are the Dutch words LooksEnglish weighs against them: function
// words and a few that questions often hold.
var dutchWords = set(`de het een wie wat hoe mag ik is van en bij moet welke of te niet wanneer nu er op voor
	met zijn je kan dit zonder reden`)
