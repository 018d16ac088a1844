package privacy

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestValidBSN(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"210000004", true},
		{"210000016", true},
		{"111222333", true},
		{"1112.22.333", true},
		{"111 222 333", true},
		{"12345672", true}, // 8 digits get a leading zero: 012345672
		{"123456789", false},
		{"000000000", false},
		{"11122233", false},
		{"1112223330", false},
		{"11122233a", false},
	} {
		if got := ValidBSN(tc.in); got != tc.want {
			t.Errorf("ValidBSN(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestValidOnderwijsnummer(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"103000003", true},
		{"1030.00.015", true},
		{"103000004", false},
		{"210000004", false}, // a BSN, not starting with 10
		{"111222333", false},
	} {
		if got := ValidOnderwijsnummer(tc.in); got != tc.want {
			t.Errorf("ValidOnderwijsnummer(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestValidIBAN(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"NL91ABNA0417164300", true},
		{"NL91 ABNA 0417 1643 00", true},
		{"nl20ingb0001234567", true},
		{"BE68539007547034", true},
		{"DE89370400440532013000", true},
		{"NL92ABNA0417164300", false},
		{"NL91ABNA041716430", false},
		{"NL91-ABNA-0417164300", false},
	} {
		if got := ValidIBAN(tc.in); got != tc.want {
			t.Errorf("ValidIBAN(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestPlaceholderNumbering(t *testing.T) {
	g := newGuard(t)
	for _, tc := range []struct{ in, want string }{
		{"Mila en Finn: Mila komt niet, Finn wel.", "[NAAM-1] en [NAAM-2]: [NAAM-1] komt niet, [NAAM-2] wel."},
		{"BSN 111222333 of 1112.22.333, en 210000004", "BSN [BSN-1] of [BSN-1], en [BSN-2]"},
		{"Bel 06-12345678 of 0612345678.", "Bel [TELEFOON-1] of [TELEFOON-1]."},
		{"Zijn nummer (0612345678) klopt niet.", "Zijn nummer ([TELEFOON-1]) klopt niet."},
		{"Mila's moeder belde over Mila.", "[NAAM-1]'s moeder belde over [NAAM-1]."},
	} {
		r, err := g.Redact(context.Background(), tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if r.Redacted != tc.want {
			t.Errorf("Redact(%q)\n got %q\nwant %q", tc.in, r.Redacted, tc.want)
		}
	}
}

func TestFoundCountsDistinctValues(t *testing.T) {
	g := newGuard(t)
	r, err := g.Redact(context.Background(), "Mila, Mila en Finn; BSN 111222333.")
	if err != nil {
		t.Fatal(err)
	}
	if r.Found[Naam] != 2 || r.Found[BSN] != 1 || r.Total() != 3 {
		t.Errorf("Found = %v, Total = %d; want NAAM 2, BSN 1, total 3", r.Found, r.Total())
	}
}

// TestMustStayTerms checks that policy terms, organisations, roles, numbers
// and generic ages are never masked.
func TestMustStayTerms(t *testing.T) {
	g := newGuard(t)
	for _, in := range []string{
		"Leerplichtwet", "Veilig Thuis", "DUO", "BRON", "GGD", "JGZ", "samenwerkingsverband",
		"de leerplichtambtenaar", "de jeugdarts", "de mentor", "de zorgcoördinator",
		"de intern begeleider", "artikel 11a", "Leerplichtwet 1969", "schooljaar 2023-2024",
		"tot 18 jaar", "vanaf 5 jaar", "16 uur in 4 weken", "0800-2000", "112",
		"450 leerlingen", "groep 7", "Hoeveel thuiszitters zijn er in Enschede?",
		"De Raad voor de Kinderbescherming", "het RMC", "de Inspectie van het Onderwijs",
		"Wat zegt de Jeugdwet?", "de visser", "een kok", "in het bos",
	} {
		r, err := g.Redact(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		if r.Redacted != in {
			t.Errorf("Redact(%q) = %q, want unchanged", in, r.Redacted)
		}
	}
}

func TestSpecialCategoriesFlaggedNotMasked(t *testing.T) {
	g := newGuard(t)
	in := "Mag ik delen dat een leerling ADHD heeft en moslim is?"
	r, err := g.Redact(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if r.Redacted != in {
		t.Errorf("Redacted = %q, want unchanged", r.Redacted)
	}
	if len(r.Special) != 2 || r.Special[0] != Gezondheid || r.Special[1] != Geloof {
		t.Errorf("Special = %v, want [GEZONDHEID GELOOF]", r.Special)
	}
}

func TestRedactHonoursContext(t *testing.T) {
	g := newGuard(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := g.Redact(ctx, "Mila"); !errors.Is(err, context.Canceled) || !errors.Is(err, ErrCanceled) {
		t.Errorf("canceled: err = %v", err)
	}
	ctx, cancel = context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	if _, err := g.Redact(ctx, "Mila"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("deadline: err = %v", err)
	}
}

func TestSummary(t *testing.T) {
	if s := Summary(Result{Found: map[Category]int{}}); s != "" {
		t.Errorf("Summary(empty) = %q", s)
	}
	g := newGuard(t)
	r, err := g.Redact(context.Background(), "Mila (BSN 111222333) heeft ADHD.")
	if err != nil {
		t.Fatal(err)
	}
	s := Summary(r)
	for _, want := range []string{"naam", "BSN", "Verwijder", "gezondheid"} {
		if !strings.Contains(s, want) {
			t.Errorf("Summary %q lacks %q", s, want)
		}
	}
	for _, leak := range []string{"Mila", "111222333"} {
		if strings.Contains(s, leak) {
			t.Errorf("Summary leaks %q", leak)
		}
	}
	for _, c := range append(MaskedCategories(), SpecialCategories()...) {
		if DutchCategoryName(c) == "persoonsgegeven" {
			t.Errorf("no Dutch name for %s", c)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	g := newGuard(t)
	cases := loadCases(t)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, c := range cases {
				if _, err := g.Redact(context.Background(), c.text); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

var placeholderRE = regexp.MustCompile(`\[([A-Z]+)-(\d+)\]`)

// checkOutput asserts the invariants that hold for every input.
func checkOutput(t *testing.T, in string, r Result) {
	t.Helper()
	if len(r.Redacted) > MaxGrowth*len(in) {
		t.Fatalf("output %d bytes for input %d bytes", len(r.Redacted), len(in))
	}
	// Every placeholder the guard wrote is well-formed [A-Z]+-\d+ with a
	// known category, and there are at least as many as distinct values.
	out := r.Redacted
	added := len(placeholderRE.FindAllString(out, -1)) - len(placeholderRE.FindAllString(in, -1))
	if added < r.Total() {
		t.Fatalf("%d placeholders for %d values in %q", added, r.Total(), out)
	}
	for _, m := range placeholderRE.FindAllStringSubmatch(out, -1) {
		if !strings.Contains(in, m[0]) && !isCategory(Category(m[1])) {
			t.Fatalf("unknown placeholder %q in %q", m[0], out)
		}
	}
	for c, n := range r.Found {
		if !isCategory(c) || n <= 0 {
			t.Fatalf("Found[%s] = %d", c, n)
		}
	}
	for _, m := range reNine.FindAllString(out, -1) {
		if ValidBSN(m) || ValidOnderwijsnummer(m) {
			t.Fatalf("checksummed number %q survived in %q (input %q)", m, out, in)
		}
	}
}

func isCategory(c Category) bool {
	for _, k := range MaskedCategories() {
		if k == c {
			return true
		}
	}
	return false
}

func FuzzRedact(f *testing.F) {
	for _, c := range loadCases(f) {
		f.Add(c.text)
	}
	f.Add("BSN 1112.22.333 en 103000003, NL91ABNA0417164300, +31 (0)6 1234 5678")
	f.Add("[NAAM-1] al ingevuld, K. van 't Hof-El Amrani (9)")
	g, err := New()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in string) {
		r, err := g.Redact(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		checkOutput(t, in, r)
	})
}

func TestOutputInvariants(t *testing.T) {
	g := newGuard(t)
	for _, c := range loadCases(t) {
		r, err := g.Redact(context.Background(), c.text)
		if err != nil {
			t.Fatal(err)
		}
		checkOutput(t, c.text, r)
	}
}

func BenchmarkRedact2000(b *testing.B) {
	g, err := New()
	if err != nil {
		b.Fatal(err)
	}
	var sb strings.Builder
	for _, c := range loadCases(b) {
		if sb.Len()+len(c.text)+1 > 2000 {
			break
		}
		sb.WriteString(c.text)
		sb.WriteByte(' ')
	}
	text := sb.String()
	for len(text) < 2000 {
		text += "x"
	}
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := g.Redact(context.Background(), text); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNew(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := New(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestNoQuadraticBlowUp guards against inputs that made earlier versions
// take seconds: long runs of digits, initials, parentheses and e-mails.
func TestNoQuadraticBlowUp(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
	g := newGuard(t)
	for name, unit := range map[string]string{
		"digits": "1", "dots": "1.", "initials": "K. ", "ages": "Mila (1) ", "emails": "a@b.nl ",
		"phones": "06-1234 5678 ", "hyphens": "Mila-", "interfixes": "van ", "schools": "zit op De ",
	} {
		in := strings.Repeat(unit, 30000/len(unit))
		start := time.Now()
		r, err := g.Redact(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("%s: %d bytes took %v", name, len(in), d)
		}
		checkOutput(t, in, r)
	}
}

func TestPlaces(t *testing.T) {
	for text, want := range map[string][]string{
		"Hoe werkt de thuiszittersaanpak in Amsterdam?":               {"Amsterdam"},
		"wie zit er aan de doorbraaktafel in den haag of in Rijswijk": {"den haag", "Rijswijk"},
		"Mag ik delen met de JGZ?":                                    nil,
		"de leerling zit op een houten stoel in de klas":              nil,
		"Wat doet de school in Houten?":                               {"Houten"},
		"verzuim in Alphen aan den Rijn en 's-Hertogenbosch":          {"Alphen aan den Rijn", "'s-Hertogenbosch"},
	} {
		if got := Places(text); !slices.Equal(got, want) {
			t.Errorf("Places(%q) = %q, want %q", text, got, want)
		}
	}
}

// TestCueAndBirthRules pins the rules of issue 16 on sentences outside
// both test sets.
func TestCueAndBirthRules(t *testing.T) {
	g := newGuard(t)
	for _, tc := range []struct{ in, want string }{
		// a place after a residence verb, with family words or a name between
		{"Sinds de zomer woont Noor bij haar oma in Kampen.", "Sinds de zomer woont [NAAM-1] bij haar oma in [WOONPLAATS-1]."},
		{"Sem woont met zijn moeder en twee zusjes in Hengelo.", "[NAAM-1] woont met zijn moeder en twee zusjes in [WOONPLAATS-1]."},
		{"De leerling woont met zijn ouders in de buurt van de school.", "De leerling woont met zijn ouders in de buurt van de school."},
		// "in" opens no surname after a cue
		{"Oma in Kampen belt elke week.", "Oma in Kampen belt elke week."},
		// a person cue with "van"
		{"Hoe is de begeleiding van Wietse Kooistra geregeld?", "Hoe is de begeleiding van [NAAM-1] geregeld?"},
		{"Hoe is het verzuim van Hengelo-Noord?", "Hoe is het verzuim van Hengelo-Noord?"},
		// dates of birth
		{"Hij is in september 2013 geboren.", "Hij is in [DATUM-1] geboren."},
		{"Wanneer is een kind dat in september 2013 geboren is leerplichtig?", "Wanneer is een kind dat in september 2013 geboren is leerplichtig?"},
		{"Lieke (2013) verzuimt.", "[NAAM-1] [DATUM-1] verzuimt."},
		{"De Leerplichtwet (1969) zegt het.", "De Leerplichtwet (1969) zegt het."},
		{"Ze is geboren in september en zit in groep 3.", "Ze is geboren in september en zit in groep 3."},
	} {
		r, err := g.Redact(context.Background(), tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if r.Redacted != tc.want {
			t.Errorf("Redact(%q)\n got %q\nwant %q", tc.in, r.Redacted, tc.want)
		}
	}
}
