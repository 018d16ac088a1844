package knowledge

import (
	"errors"
	"fmt"
	"regexp"
)

// Problem is the kind of thing wrong with an input, so the edge can tell the
// user what to do about it.
type Problem int

const (
	Corrupt        Problem = iota + 1 // the file cannot be read as its format
	Encrypted                         // password-protected
	NoText                            // e.g. a scanned, image-only PDF
	Unsupported                       // a format we do not read
	Empty                             // zero bytes or only whitespace
	TooLarge                          // over the configured size limit
	Unreachable                       // a URL that could not be fetched
	LoginWall                         // a web page that only asks to log in
	PupilData                         // holds pupil data (Detail says what and where)
	NotText                           // named as text but mostly not text (binary data)
	TooMuchContent                    // unpacks or reads to more than the limit (a zip bomb)
	ToolLimit                         // an external reader ran out of time or memory
	Unstorable                        // the store refused its data
	NotAFile                          // not a regular file (a pipe, a device, a folder)
	Invalid                           // a settings file (sources.yaml, glossary.yaml) that does not parse
	Internal                          // a URL (or its redirect) inside the own network
	Changed                           // the file changed while it was being read
)

// InputError reports bad input. Its Error text is English for logs; Dutch
// gives the message for a beleidsmedewerker.
type InputError struct {
	Name    string // file or URL as the user named it
	Problem Problem
	Detail  string // optional extra fact in Dutch, shown to the user (e.g. the size limit); never document text
	Err     error  // underlying error, may be nil
}

func (e *InputError) Error() string {
	s := fmt.Sprintf("%s: %s", e.Name, problemNames[e.Problem])
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *InputError) Unwrap() error { return e.Err }

// ProblemName is the problem as a short English name ("too large"), for
// logs and audit codes.
func (e *InputError) ProblemName() string { return problemNames[e.Problem] }

var problemNames = map[Problem]string{
	Corrupt:        "corrupt file",
	Encrypted:      "encrypted file",
	NoText:         "no extractable text",
	Unsupported:    "unsupported format",
	Empty:          "empty file",
	TooLarge:       "file too large",
	Unreachable:    "unreachable URL",
	LoginWall:      "login page",
	PupilData:      "contains pupil data",
	NotText:        "not text",
	TooMuchContent: "content over the limit",
	ToolLimit:      "reader over its time or memory limit",
	Unstorable:     "refused by the store",
	NotAFile:       "not a regular file",
	Invalid:        "invalid settings file",
	Internal:       "address inside the own network",
	Changed:        "changed while being read",
}

// Dutch returns the message for the user: what is wrong with which file and
// what to do about it.
func (e *InputError) Dutch() string {
	var what, todo string
	switch e.Problem {
	case Corrupt:
		what = "is beschadigd of is geen geldig bestand van dit type"
		todo = "Open het bestand zelf om te kijken of het werkt, of vraag de maker om een nieuwe versie."
	case Encrypted:
		what = "is beveiligd met een wachtwoord"
		todo = "Sla een versie zonder wachtwoord op en voeg die toe."
	case NoText:
		what = "bevat geen tekst die ik kan lezen (waarschijnlijk een scan of alleen afbeeldingen)"
		todo = "Zoek een versie met echte tekst, of laat het document eerst herkennen met OCR."
	case Unsupported:
		what = "heeft een bestandstype dat ik niet kan lezen"
		todo = "Gebruik PDF, Word (.docx), HTML, Markdown (.md) of platte tekst (.txt)."
	case Empty:
		what = "is leeg"
		todo = "Controleer of u het goede bestand hebt gekozen."
	case TooLarge:
		what = "is te groot"
		todo = "Splits het document op of verhoog de limiet met WEGWIJS_MAX_FILE_MB."
	case Unreachable:
		what = "kon ik niet ophalen"
		todo = "Controleer het adres en de internetverbinding, of download het bestand en voeg het als bestand toe."
	case LoginWall:
		what = "is een inlogpagina en bevat niet de tekst van het document"
		todo = "Download het document zelf en voeg het als bestand toe."
	case Internal:
		what = "verwijst naar een adres binnen het eigen netwerk (zoals localhost, 10.x of 192.168.x)"
		todo = "Dat haal ik niet op, zodat niemand via Wegwijs interne systemen kan uitlezen. Is het een intranetpagina? Vraag de beheerder dan om dat netwerk toe te staan met WEGWIJS_FETCH_ALLOW."
	case PupilData:
		what = "bevat gegevens die op leerlinggegevens lijken"
		todo = "Haal die gegevens uit het document. Wegwijs slaat nooit leerlinggegevens op."
	case NotText:
		what = "lijkt geen tekst te bevatten: het zijn vooral tekens die geen letters of leestekens zijn"
		todo = "Kijk of het het goede bestand is en of de extensie klopt. Een Word-bestand of PDF met de extensie .txt geeft dit ook."
	case TooMuchContent:
		what = "wordt te groot als ik het uitpak of lees"
		todo = "Zo groot wordt een gewoon document niet; misschien is het bestand beschadigd. Open het en sla het opnieuw op, of vraag de maker om een nieuwe versie. Is het echt zo groot, splits het dan op."
	case ToolLimit:
		what = "kon ik niet lezen: het leesprogramma had er te veel tijd of geheugen voor nodig"
		todo = "Misschien is het bestand beschadigd of erg ingewikkeld. Sla het opnieuw op als PDF (bijvoorbeeld met Afdrukken als PDF) en probeer het nog eens, of splits het op."
	case Unstorable:
		what = "kon ik niet opslaan in de kennisbank"
		todo = "Meld het bij de beheerder. De technische details staan in het logboek (zet WEGWIJS_LOG_LEVEL=info)."
	case NotAFile:
		what = "is geen gewoon bestand"
		todo = "Kies een document: een PDF, Word-, HTML-, Markdown- of tekstbestand."
	case Invalid:
		what = "klopt niet, dus ik kan het niet lezen"
		todo = "Kijk het bestand na, bijvoorbeeld de inspringing, de dubbele punten en de datums (JJJJ-MM-DD). De gebruikersgids laat zien hoe het eruitziet; de precieze melding staat in het logboek (zet WEGWIJS_LOG_LEVEL=info)."
	case Changed:
		what = "veranderde terwijl ik het las"
		todo = "Wacht tot het bestand helemaal is opgeslagen of gekopieerd en probeer het dan opnieuw. Er is niets van opgeslagen."
	default:
		what = "kon ik niet verwerken"
		todo = "Probeer het opnieuw of neem contact op met de beheerder."
	}
	s := fmt.Sprintf("%s %s", e.Name, what)
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s + ". " + todo
}

// AsInputError reports whether err holds an *InputError.
func AsInputError(err error) (*InputError, bool) {
	var ie *InputError
	ok := errors.As(err, &ie)
	return ie, ok
}

var lineNumber = regexp.MustCompile(`line (\d+)`)

// invalidFile reports a settings file that does not parse, naming the
// line when the parser did.
func invalidFile(path string, err error) error {
	ie := &InputError{Name: path, Problem: Invalid, Err: err}
	if m := lineNumber.FindStringSubmatch(err.Error()); m != nil {
		ie.Detail = "regel " + m[1]
	}
	return ie
}
