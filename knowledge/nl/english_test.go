package nl

import "testing"

func TestLooksEnglish(t *testing.T) {
	for q, want := range map[string]bool{
		"who is responsible for absenteeism?":                                true,
		"What does the school attendance officer do?":                        true,
		"can I share this with the school nurse":                             true,
		"wie is aan zet bij absoluut verzuim?":                               false,
		"mag ik het verzuim delen met de school of de jgz en ouders":         false,
		"is er een checklist voor het verzuimprotocol":                       false,
		"What should the school do when a pupil is absent?":                  true,
		"wat moet de school doen bij verzuim, is dat de taak van de mentor?": false,
		"2the 2what groep7 who":                                              true,
		"":                                                                   false,
	} {
		if got := LooksEnglish(q); got != want {
			t.Errorf("LooksEnglish(%q) = %v, want %v", q, got, want)
		}
	}
}
