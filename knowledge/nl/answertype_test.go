package nl

import "testing"

func TestAskedType(t *testing.T) {
	for q, want := range map[string]AnswerType{
		"Hoeveel thuiszitters zijn er in heel Nederland?":                                Count | Share | Money,
		"hoeveel meer kans hebben chronische verzuimers":                                 Count | Share | Money,
		"Hoeveel scholen deden er mee aan de Proeftuin?":                                 Count | Share | Money,
		"Hoe vaak komt de actietafel bijeen?":                                            Frequency,
		"hoeveel keer per jaar komt de actietafel bijeen":                                Frequency | Count,
		"Tot welke leeftijd geldt de kwalificatieplicht?":                                Age,
		"Hoe oud moet een kind zijn?":                                                    Age,
		"Binnen hoeveel weken moet een kind een aanbod hebben?":                          Duration,
		"Hoe lang mag een school verzuimgegevens bewaren?":                               Duration,
		"binnen welke termijn moet de school beslissen":                                  Duration,
		"Welk percentage van de leerlingen heeft een indicatie?":                         Share | Count,
		"Hoeveel NPO-geld krijgt een school per leerling?":                               Money,
		"hoeveel procent van de leerlingen verzuimt":                                     Share,
		"Wat is het telefoonnummer van de onderwijsconsulenten?":                         Phone,
		"op welke website staat het routeboek":                                           Web,
		"welk e-mailadres heeft ouders & onderwijs":                                      Email,
		"wanneer is de avg handleiding verschenen en wie heeft hem geschreven":           Date,
		"wanneer is de handleiding 'zó zit dat met de avg' verschenen":                   Date,
		"In welk jaar is het Routeboek gemaakt?":                                         Date,
		"Hoeveel ruimte heeft een school om onderwijs en zorg te combineren?":            0,
		"Wie is aan zet bij absoluut verzuim?":                                           0,
		"Wanneer mag ik informatie delen met de jeugdarts?":                              0,
		"hoe werkt de aanpak in Amsterdam":                                               0,
		"Welk jaar van de opleiding is het zwaarst?":                                     0,
		"hoe langer een leerling thuiszit hoe moeilijker de terugkeer, wat kan ik doen?": 0,
		"hoe snel moet de school verzuim melden":                                         0, // "zo snel mogelijk" answers it
		"hoeveel informatie mag ik delen met de jeugdarts":                               0, // "niet meer dan nodig"
		"mag ik het telefoonnummer van de ouders delen met de jeugdarts":                 0,
		"wat staat er op de website van het swv over verzuim":                            0,
		"telefoonnummer leerplicht den haag?":                                            Phone,
		"mag ik met de jeugdarts delen hoeveel dagen een leerling verzuimt":              0,
		"wanneer is er sprake van een thuiszitter":                                       0,
	} {
		if got := AskedType(q); got != want {
			t.Errorf("AskedType(%q) = %b, want %b", q, got, want)
		}
	}
}

func TestTypesIn(t *testing.T) {
	for s, want := range map[string]AnswerType{
		"Elke drie weken vindt er overleg plaats om alle thuiszitters door te nemen.":      Frequency,
		"Ook stelt Leerplicht elke 3 weken de thuiszitterslijst vast.":                     Frequency,
		"Om de twee weken is er overleg.":                                                  Frequency,
		"We hebben een actietafel waar partijen zes keer per jaar bijeen komen.":           Frequency,
		"De actietafel komt elke maand bijeen.":                                            Frequency,
		"Om de week is er een overleg met leerplicht.":                                     Frequency,
		"Het team komt tweemaal per jaar samen.":                                           Frequency,
		"De kwalificatieplicht duurt tot de 18e verjaardag.":                               Age,
		"Het overleg is wekelijks.":                                                        Frequency,
		"In 2018 zijn er 95.300 leerlingen.":                                               Date | Count,
		"Ongeveer 75% van de jongeren heeft ook mentale problemen.":                        Share,
		"Dan checken we de lijsten; hiermee is er gezamenlijk ca. 95% dekkingsgraad.":      Share,
		"Ondanks deze ambitie zit de helft van de scholen met de handen in het haar.":      Share,
		"Zij hebben 13 keer meer kans op chronisch schoolverzuim.":                         Count | Frequency,
		"De ambitie is helder: binnen 13 weken een passend aanbod voor elk kind.":          Duration,
		"De afgelopen twee jaar hebben diverse Twentse scholen deelgenomen.":               Duration | Age,
		"Tot een jaar later wordt er gekeken hoe het gaat.":                                Duration | Age,
		"Voor 18-jarigen geldt iets anders.":                                               Age,
		"Het budget is € 500 per leerling.":                                                Money,
		"Er gaat 10 miljoen euro naar de regio.":                                           Money,
		"Daarnaast hebben ruim 200 deelnemers workshops gevolgd.":                          Count,
		"Het afgelopen jaar hebben zo'n 25 scholen ervaring opgedaan.":                     Count,
		"versie 26 augustus 2019":                                                          Date,
		"Er wordt gewerkt met het RTI-model (Kearney & Graczyk, 2014).":                    Date,
		"Bel 088 123 45 67 of mail naar info@voorbeeld.nl.":                                Phone | Email | Count,
		"Meer informatie op www.voorbeeld.nl.":                                             Web,
		"Een kind ontwikkelt zich op jonge leeftijd op alle ontwikkelingsgebieden.":        0,
		"Een kind is leerplichtig en de aanpak is krachtig.":                               0,
		"Er deden eenentwintig scholen mee.":                                               Count,
		"Het Nederlands Jeugdinstituut is een nationaal kenniscentrum over opgroeien.":     0,
		"We komen er vaak achter dat we meer thuiszitters kennen dan de leerplicht.":       0,
		"Tijdens de tweede lockdown startten we een taskforce.":                            0,
		"Een leerling met een vrijstelling valt buiten het toezicht van de leerplichtwet.": 0,
	} {
		if got := TypesIn(s); got != want {
			t.Errorf("TypesIn(%q) = %b, want %b", s, got, want)
		}
	}
}

// A question for a count is not answered by a frequency, a frequency not
// by a share, an amount not by a duration.
func TestAskedTypeMatchesOnlyItsKind(t *testing.T) {
	for _, c := range []struct {
		question, sentence string
		want               bool
	}{
		{"Hoeveel leerlingen staan op de Rotterdamse thuiszitterslijst?", "Ook stelt Leerplicht elke 3 weken de thuiszitterslijst vast.", false},
		{"Hoe vaak komt de Taskforce in Alkmaar bij elkaar?", "Hiermee is er gezamenlijk ca. 95% dekkingsgraad.", false},
		{"Hoeveel scholen deden mee aan de Proeftuin?", "De afgelopen twee jaar hebben diverse Twentse scholen deelgenomen aan de Proeftuin.", false},
		{"Hoe lang doen Twentse scholen al mee aan de Proeftuin?", "De afgelopen twee jaar hebben diverse Twentse scholen deelgenomen aan de Proeftuin.", true},
		{"hoe vaak bespreekt de taskforce alle thuiszitters", "Elke drie weken vindt er overleg plaats om alle thuiszitters door te nemen.", true},
		{"hoeveel jongeren met ernstig schoolverzuim hebben ook mentale problemen", "Ongeveer 75% van de jongeren heeft ook mentale problemen.", true},
		{"Hoe lang volgt de taskforce een leerling na plaatsing?", "Tot een jaar later wordt er gekeken hoe het gaat.", true},
		{"wat is het telefoonnummer van de onderwijsconsulenten", "Dit doet zij in die situaties waarin dat in de eigen regio niet lukt.", false},
		{"wat is het telefoonnummer van de onderwijsconsulenten", "Via e-mail: vraag@oudersenonderwijs.nl « De Onderwijsconsulenten bieden gratis advies.", false},
		{"wat is het telefoonnummer van ouders en onderwijs", "Via e-mail: vraag@oudersenonderwijs.nl of telefonisch: 088-6050101.", true},
		{"wanneer is de handleiding verschenen", "Informatie uitwisselen tussen professionals is cruciaal.", false},
	} {
		if got := TypesIn(c.sentence)&AskedType(c.question) != 0; got != c.want {
			t.Errorf("%q answered by %q: %v, want %v", c.question, c.sentence, got, c.want)
		}
	}
}

func TestAnswerTypeDutch(t *testing.T) {
	for typ, want := range map[AnswerType]string{
		Frequency:             "niet hoe vaak",
		Frequency | Count:     "geen aantal en niet hoe vaak",
		Count | Share | Money: "geen aantal, percentage of bedrag",
		Duration:              "geen termijn",
		Phone:                 "geen telefoonnummer",
		0:                     "",
	} {
		if got := typ.Dutch(); got != want {
			t.Errorf("%b: %q, want %q", typ, got, want)
		}
	}
}
