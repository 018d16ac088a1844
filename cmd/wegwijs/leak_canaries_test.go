package main

// The canaries: obviously fake but realistic pupil data, in the kinds the
// privacy guard promises to mask. The numbers pass their checksums (the
// BSNs the 11-proef, the onderwijsnummer its variant, the IBAN mod-97), so
// the guard cannot skip them as random digits. None of the values occurs in
// knowledge/sample, so a hit anywhere means the value came from a question.

// leakCanary is one value that must never be stored, logged or sent out.
type leakCanary struct {
	kind  string // what it is, printed in failures instead of the value
	value string
}

var leakCanaries = []leakCanary{
	{"naam", "Mila Jansen"},
	{"naam", "Daan de Vries"},
	{"naam", "Sara Bakker"},
	{"naam", "Finn Visser"},
	{"naam", "Lotte Smit"},
	{"naam", "Noah Mulder"},
	{"naam", "Sem Meijer"},
	{"naam", "Julia van Dijk"},
	{"naam", "Levi Bos"},
	{"naam", "Zoë Hoekstra"},
	{"naam", "Tess van Leeuwen"},
	{"achternaam", "Jansen"},
	{"achternaam", "Mulder"},
	{"achternaam", "Hoekstra"},
	{"bsn", "628194821"},
	{"bsn", "252.760.189"},
	{"onderwijsnummer", "102768426"},
	{"iban", "NL76 RABO 0347 2619 85"},
	{"telefoon", "06-41827365"},
	{"telefoon", "06 2837 4615"},
	{"email", "t.vanleeuwen@ziggo.nl"},
	{"email", "j.debruijn1979@hotmail.com"},
	{"postcode", "7511 JK"},
	{"postcode", "2271 AB"},
	{"adres", "Kastanjelaan 17"},
	{"adres", "Merelstraat 4"},
	{"geboortedatum", "14-03-2012"},
	{"geboortedatum", "2 juni 2011"},
	{"school", "Basisschool De Regenboog"},
	{"school", "Twents Carmel College"},
	{"leerlingnummer", "77120"},
	{"naam", "Tjitske Hoogeboom"},
	{"achternaam", "Hoogeboom"},
	{"geboortedatum", "maart 2014"},
}

// leakQuestions are what a professional might type. Each carries one or
// more canaries; together they carry all of them.
var leakQuestions = []string{
	"Mila Jansen (BSN 628194821) is al drie weken niet op school geweest. Moet ik de leerplichtambtenaar inschakelen?",
	"Daan de Vries, geboren op 14-03-2012, zit op Basisschool De Regenboog en verzuimt veel. Wie is aan zet bij verzuim?",
	"Mag ik het telefoonnummer van de moeder van Sara Bakker (06-41827365) delen met de jeugdarts?",
	"Leerlingnummer 77120 heeft 16 uur ongeoorloofd verzuim in vier weken. Wanneer moet ik dat melden bij DUO?",
	"Het onderwijsnummer van Finn Visser is 102768426. Mag dat in een verzuimmelding aan de leerplichtambtenaar?",
	"De ouders van Lotte Smit wonen op Kastanjelaan 17, 7511 JK Enschede. Mag ik hun adres doorgeven aan het samenwerkingsverband?",
	"De vader van Noah Mulder wil de boete betalen vanaf NL76 RABO 0347 2619 85. Hoe werkt een proces-verbaal bij luxeverzuim?",
	"Sem Meijer (BSN 252.760.189, geboren op 2 juni 2011) zit sinds januari thuis. Wanneer is een leerling een thuiszitter?",
	"Julia van Dijk zit op Twents Carmel College en heeft autisme. Mag ik dat delen met de leerplichtambtenaar?",
	"Ik ben mentor van Levi Bos, zijn moeder is bereikbaar op 06 2837 4615. Wanneer is verzuim zorgwekkend?",
	"Zoë Hoekstra woont op Merelstraat 4, 2271 AB Voorburg, en komt niet meer naar school. Wie is aan zet bij absoluut verzuim?",
	"Mag ik het verslag over Tess van Leeuwen mailen naar t.vanleeuwen@ziggo.nl of moet dat beveiligd?",
	"Moeder van Mila Jansen mailt vanaf j.debruijn1979@hotmail.com dat Mila ziek is. Wat doe ik bij twijfel over ziekteverzuim?",
	"Mevrouw Mulder belt elke week af voor Noah. Wanneer schakel ik de jeugdarts in bij veel ziekmeldingen?",
	"Wat moet ik doen als Hoekstra, Zoë (leerlingnummer 77120) na de vakantie niet terugkomt?",
	"Mag ik het verzuim van Tjitske Hoogeboom delen met de jeugdarts? Ze is in maart 2014 geboren.",
}

// leakKindsQuestion is the index of a question with a name and a BSN; the
// reply must say that both kinds were removed.
const leakKindsQuestion = 0
