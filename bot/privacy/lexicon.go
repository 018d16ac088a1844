package privacy

// Hand-written word tables. They are copied into maps by New, so nothing
// here is mutated after start-up. All entries are lowercase.

// interfixes are the particles that may stand inside or before a surname
// (van der Berg, van 't Hof, El Amrani, Demir-van Dijk).
var interfixes = []string{
	"van", "der", "den", "de", "het", "'t", "’t", "te", "ter", "ten", "in", "op", "onder", "over",
	"uit", "aan", "bij", "voor", "vd", "v/d", "v.d.", "'s", "’s", "d'", "le", "la", "du", "des",
	"da", "das", "do", "dos", "di", "del", "della", "von", "zu", "el", "al", "ben", "bin", "ibn",
	"bou", "abou", "abu", "ait", "mac", "mc", "o'", "st.",
}

// strongCues make the next word a name even when it is lowercase and in no
// list ("juf anneke", "hij heet kees"), unless it is a stop word.
var strongCues = []string{
	"meneer", "mevrouw", "mevr", "mevr.", "dhr", "dhr.", "mr.", "mw", "mw.", "juf", "juffrouw",
	"meester", "heet", "heette", "genaamd", "naam", "naam:", "voornaam", "achternaam",
	"voornaam:", "achternaam:", "roepnaam", "roepnaam:", "familie", "fam", "fam.", "heer",
}

// weakCues make the next word a name when it is capitalised or in a name
// list, even when it is also an ordinary word (leerling sem, zoon van Roos).
var weakCues = []string{
	"leerling", "leerlinge", "leerlingen", "pupil", "zoon", "dochter", "broer", "zus", "broertje",
	"zusje", "kind", "neef", "nicht", "moeder", "vader", "ouders", "oom", "tante", "opa", "oma",
	"jongen", "meisje", "jongeman", "student", "studente", "cliënt", "client", "collega",
	"stiefvader", "stiefmoeder",
	"pleegkind", "pleegzoon", "pleegdochter", "jeugdige", "zorgleerling", "klasgenoot",
	"klasgenote", "vriend", "vriendin", "vriendje", "vriendinnetje", "kleinzoon", "kleindochter",
}

// stopWords are never names on their own: function words, pronouns,
// common verbs and other words that follow a cue ("de leerling heeft").
var stopWords = []string{
	"de", "het", "een", "en", "of", "maar", "dat", "die", "dit", "deze", "wat", "wie", "welke",
	"waar", "wanneer", "hoe", "waarom", "ik", "je", "jij", "u", "hij", "zij", "ze", "we", "wij",
	"jullie", "hun", "hen", "haar", "zijn", "mijn", "onze", "ons", "uw", "jouw", "is", "was",
	"wordt", "werd", "heeft", "had", "hebben", "kan", "kon", "mag", "moet", "moest", "wil",
	"zou", "zal", "gaat", "ging", "komt", "kwam", "zit", "zat", "niet", "geen", "wel", "ook",
	"nog", "al", "er", "hier", "daar", "dan", "als", "om", "te", "in", "op", "aan", "bij", "met",
	"van", "voor", "naar", "uit", "over", "onder", "tot", "door", "na", "sinds", "vanaf", "per",
	"zonder", "tegen", "tussen", "binnen", "buiten", "mee", "zo", "erg", "heel", "veel", "weinig",
	"vaak", "soms", "altijd", "nooit", "steeds", "meer", "minder", "nu", "net", "pas", "toch",
	"even", "alleen", "samen", "allebei", "iemand", "niemand", "iets", "niets", "alles", "andere",
	"ander", "zelf", "elkaar", "ja", "nee", "oké", "ok", "hoi", "hallo", "dank", "bedankt", "graag",
	"sorry", "help", "vraag", "vragen", "leerling", "leerlinge", "leerlingen", "kind", "kinderen",
	"jongen", "meisje", "ouder", "ouders", "moeder", "vader", "school", "klas", "groep", "mentor",
	"docent", "leraar", "juf", "meester", "thuis", "ziek", "afwezig", "aanwezig", "verzuim",
	"spijbelt", "spijbelen", "verzuimt", "woont", "wonen", "heet", "genaamd", "is", "uur", "dag",
	"dagen", "week", "weken", "jaar", "jaren", "maand", "maanden", "keer", "vandaag", "gisteren",
	"morgen", "vorige", "volgende", "eerste", "tweede", "derde", "laatste", "hele", "halve",
	"zoon", "dochter", "broer", "zus", "elke", "iedere", "alle", "beide", "twee", "drie", "vier",
	"vijf", "zes", "zeven", "acht", "negen", "tien", "echt", "misschien", "dus", "want", "omdat",
	"toen", "terwijl", "zodat", "mits", "tenzij", "hallo", "beste", "groet", "groeten", "mvg",
	"gr", "ivm", "i.v.m.", "bv", "bijv", "evt", "etc", "enz", "z.s.m.", "aub", "svp", "nl",
	"jeugdarts", "leerplichtambtenaar", "zorgcoördinator", "intern", "begeleider", "directeur",
	"consulent", "gezin", "familie", "ouderschap", "wettelijk", "vertegenwoordiger", "voogd",
	"kan", "krijgt", "kreeg", "belt", "bel", "mail", "meld", "melden", "gemeld", "delen", "gedeeld",
}

// keepTerms are organisations, laws, roles and policy words that are never
// masked, even when a name list happens to hold them. Multi-word terms are
// matched on lowercase text with word boundaries.
var keepTerms = []string{
	"leerplichtwet", "leerplicht", "kwalificatieplicht", "veilig thuis", "duo", "bron", "rod",
	"rmc", "ggd", "jgz", "ggz", "jeugd-ggz", "samenwerkingsverband", "swv", "avg", "uavg", "ap",
	"autoriteit persoonsgegevens", "inspectie", "inspectie van het onderwijs", "jeugdwet",
	"wet passend onderwijs", "passend onderwijs", "raad voor de kinderbescherming", "rvdk",
	"jeugdbescherming", "wijkteam", "sociaal wijkteam", "cjg", "centrum voor jeugd en gezin",
	"leerplichtambtenaar", "rmc-consulent", "jeugdarts", "jeugdverpleegkundige", "mentor",
	"zorgcoördinator", "zorgcoordinator", "intern begeleider", "ib'er", "ibér", "schoolmaatschappelijk werker",
	"smw", "orthopedagoog", "gedragsdeskundige", "directeur", "bestuurder", "ouder- en kindadviseur",
	"oka", "oab", "tlv", "opp", "ontwikkelingsperspectiefplan", "zat", "zorgadviesteam",
	"thuiszitter", "thuiszitters", "verzuimregister", "verzuimloket", "ministerie van ocw", "ocw",
	"vws", "rijksoverheid", "gemeente", "college van b&w", "b&w", "wethouder", "vo-raad", "po-raad",
	"mbo raad", "ingrado", "mbo", "hbo", "vmbo", "havo", "vwo", "vso", "so", "sbo", "pro",
	"praktijkonderwijs", "voortgezet onderwijs", "primair onderwijs", "speciaal onderwijs",
	"halt", "om", "openbaar ministerie", "politie", "kinderrechter", "rechtbank", "sociale verzekeringsbank", "svb",
	"uwv", "nji", "nederlands jeugdinstituut", "kennisnet", "eck id", "edukoppeling",
	"brin", "pgn", "bsn", "burgerservicenummer", "onderwijsnummer", "wetboek", "artikel",
	"verzuimprotocol", "meldcode", "wet meldcode", "regionale meld- en coördinatiefunctie",
	"jeugdzorg", "jeugdhulp", "zorg voor jeugd", "ondersteuningsplan", "ondersteuningsplanraad",
	"medezeggenschapsraad", "mr", "gmr", "onderwijsconsulenten", "onderwijsconsulent",
	"geschillencommissie", "landelijke geschillencommissie", "kinderombudsman", "nationale ombudsman",
	"slack", "mattermost", "wegwijs", "chatgpt", "teams", "magister", "somtoday", "parnassys",
	"esis", "osiris", "eduarte", "nederland", "belgië", "vlaanderen", "europa", "twente",
	"maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag", "kerst",
	"kerstvakantie", "zomervakantie", "herfstvakantie", "voorjaarsvakantie", "meivakantie",
	"pasen", "pinksteren", "cito", "iep", "eindtoets", "doorstroomtoets",
	"entree", "basis", "kader", // mbo and vmbo levels: "een leerling Entree", "leerlingen Basis en Kader"
}

// placeNames are Dutch municipalities, provinces and regions. A place is
// not a person: these are never masked as names ("het routeboek in Den
// Haag"). After a residence cue ("woont in Enschede") they are still
// masked, as WOONPLAATS.
var placeNames = []string{
	"amsterdam", "rotterdam", "den haag", "'s-gravenhage", "utrecht", "eindhoven", "groningen", "tilburg",
	"almere", "breda", "nijmegen", "apeldoorn", "arnhem", "haarlem", "haarlemmermeer", "amersfoort",
	"enschede", "zaanstad", "den bosch", "'s-hertogenbosch", "zwolle", "zoetermeer", "leeuwarden",
	"leiden", "maastricht", "dordrecht", "ede", "alphen aan den rijn", "alkmaar", "emmen", "westland",
	"delft", "venlo", "deventer", "sittard-geleen", "helmond", "oss", "amstelveen", "hilversum",
	"sudwest-fryslan", "heerlen", "hengelo", "purmerend", "schiedam", "lelystad", "roosendaal",
	"leidschendam-voorburg", "leidschendam", "voorburg", "almelo", "hoorn", "vlaardingen", "gouda",
	"assen", "capelle aan den ijssel", "veenendaal", "katwijk", "zeist", "nieuwegein", "roermond",
	"den helder", "doetinchem", "hoogeveen", "terneuzen", "kampen", "woerden", "rijswijk", "heerhugowaard",
	"houten", "barneveld", "middelburg", "vlissingen", "harderwijk", "zutphen", "oldenzaal", "borne",
	"losser", "dinkelland", "tubbergen", "twenterand", "wierden", "rijssen-holten", "hellendoorn",
	"haaksbergen", "hof van twente", "oldambt", "meppel", "steenwijkerland", "noordoostpolder",
	"schagen", "velsen", "beverwijk", "heemskerk", "castricum", "bergen", "dijk en waard",
	"noord-kennemerland", "kennemerland", "haaglanden", "twente", "achterhoek", "veluwe", "drenthe",
	"friesland", "fryslan", "groningen", "overijssel", "gelderland", "flevoland", "noord-holland",
	"zuid-holland", "zeeland", "noord-brabant", "brabant", "limburg", "randstad", "wassenaar",
	"pijnacker-nootdorp", "midden-delfland", "lansingerland", "voorschoten", "wageningen", "culemborg",
}

// personWords sit before an age in parentheses or "van 12" to show that the
// age belongs to a person ("een jongen van 15").
var personWords = []string{
	"leerling", "leerlinge", "jongen", "meisje", "kind", "zoon", "dochter", "broer", "zus",
	"broertje", "zusje", "pupil", "jongere", "puber", "kleuter", "tiener", "jeugdige", "student",
	"studente", "pleegkind", "zorgleerling", "meid", "knul", "man", "vrouw", "moeder", "vader",
}

// healthTerms are data concerning health (AVG art. 9). They are flagged,
// not masked: see the package doc.
var healthTerms = []string{
	"autisme", "autistisch", "autistische", "ass", "pdd-nos", "asperger", "adhd", "add", "odd",
	"dyslexie", "dyslectisch", "dyscalculie", "depressie", "depressief", "depressieve",
	"angststoornis", "angstig", "paniekaanvallen", "paniekstoornis", "ptss", "trauma",
	"getraumatiseerd", "hechtingsstoornis", "hechtingsproblematiek", "burn-out", "burnout",
	"eetstoornis", "anorexia", "boulimia", "diabetes", "epilepsie", "astma", "suïcidaal",
	"suicidaal", "suïcide", "suicide", "zelfmoord", "zelfmoordgedachten", "zelfbeschadiging",
	"automutilatie", "snijdt", "gedragsstoornis", "psychose", "psychotisch", "schizofrenie",
	"bipolair", "ocd", "dwangstoornis", "tourette", "syndroom van down", "gehandicapt",
	"handicap", "beperking", "verstandelijke", "lvb", "kanker", "leukemie", "zwanger",
	"zwangerschap", "verslaving", "verslaafd", "drugs", "alcohol", "medicatie", "medicijnen",
	"ritalin", "concerta", "methylfenidaat", "diagnose", "gediagnosticeerd", "psychiater",
	"psycholoog", "ggz", "jeugd-ggz", "opname", "opgenomen", "ziekenhuis", "chronisch",
	"chronische", "migraine", "long covid", "cvs", "somatisch", "psychisch",
	"psychische", "psychiatrisch", "psychiatrische", "angst", "schoolangst", "schoolweigering",
	"dyspraxie", "tos", "taalontwikkelingsstoornis", "slechthorend", "doof", "blind",
	"slechtziend", "rolstoel",
}

// beliefTerms reveal religion or belief (AVG art. 9).
var beliefTerms = []string{
	"moslim", "moslima", "islam", "islamitisch", "islamitische", "christen", "christelijk",
	"christelijke", "katholiek", "katholieke", "protestant", "protestants", "protestantse",
	"gereformeerd", "gereformeerde", "reformatorisch", "reformatorische", "bevindelijk",
	"joods", "joodse", "jood", "hindoe", "hindoeïstisch", "hindoestaans", "boeddhist",
	"boeddhistisch", "ramadan", "suikerfeest", "offerfeest", "hoofddoek", "moskee", "kerk",
	"synagoge", "tempel", "sabbat", "jehova", "jehovah", "koranschool", "religie", "religieus",
	"religieuze", "geloof", "gelovig", "gelovige", "atheïst", "sikh",
}

// originTerms reveal ethnicity or origin (AVG art. 9).
var originTerms = []string{
	"marokkaans", "marokkaanse", "marokkaan", "turks", "turkse", "turk", "syrisch", "syrische",
	"eritrees", "eritrese", "pools", "poolse", "surinaams", "surinaamse", "antilliaans",
	"antilliaanse", "kaapverdiaans", "somalisch", "somalische", "afghaans", "afghaanse",
	"iraaks", "iraakse", "oekraïens", "oekraïense", "bulgaars", "bulgaarse", "roemeens",
	"roemeense", "roma", "sinti", "woonwagenbewoner", "woonwagenkamp", "vluchteling",
	"vluchtelingen", "asielzoeker", "asielzoekerscentrum", "azc", "statushouder", "nieuwkomer",
	"migratieachtergrond", "allochtoon", "allochtone", "etniciteit", "etnisch", "etnische",
	"huidskleur", "nationaliteit", "afkomst", "afkomstig",
}

// monthNames are the Dutch month names; they are never names (April,
// Juni). Abbreviations are left out on purpose: Jan is a common name.
var monthNames = []string{
	"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
	"oktober", "november", "december",
}
