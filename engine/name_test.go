package engine

import (
	"strings"
	"testing"
)

func TestJaroWinkler(t *testing.T) {
	// Values from Winkler's examples, in thousandths.
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"MARTHA", "MARHTA", 961},
		{"DWAYNE", "DUANE", 840},
		{"DIXON", "DICKSONX", 813},
		{"ABC", "ABC", 1000},
		{"ABC", "XYZ", 0},
		{"", "A", 0},
	} {
		got := jaroWinkler(tc.a, tc.b)
		if d := got - tc.want; d < -1 || d > 1 {
			t.Errorf("jaroWinkler(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if back := jaroWinkler(tc.b, tc.a); back != got {
			t.Errorf("jaroWinkler is not symmetric for %q, %q: %d and %d", tc.a, tc.b, got, back)
		}
	}
}

func TestNameForm(t *testing.T) {
	for in, want := range map[string]string{
		"The Globex Company, Inc.": "GLOBEX",
		"GLOBEX CO":                "GLOBEX",
		"Soylent S.p.A.":           "SOYLENT",
		"SOYLENT S P A":            "SOYLENT",
		"Initech Intl LLC":         "INITECH INTERNATIONAL",
		"Vandelay Mfg. Corp.":      "VANDELAY MANUFACTURING",
		"ACMECORP":                 "ACME",
		"Müller & Söhne GmbH":      "MUELLER SOEHNE",
		"Société Générale S.A.":    "SOCIETE GENERALE",
		"I.B.M. Corp":              "IBM",
		"Macy's":                   "MACYS",
		"Inc.":                     "INC",
	} {
		if got := strings.Join(newNameForm(in, false).words, " "); got != want {
			t.Errorf("newNameForm(%q) = %q, want %q", in, got, want)
		}
	}
	if got := strings.Join(newNameForm("PAYMENT FROM ACME CORP", true).words, " "); got != "ACME" {
		t.Errorf("payer noise not dropped: %q", got)
	}
}

func TestNameSimilarity(t *testing.T) {
	for _, tc := range []struct {
		payer, customer string
		atLeast, below  int
	}{
		{"ACME CORPORATION", "Acme Corp", 1000, 1001},
		{"KRAMERICA INDUSTRI", "Kramerica Industries", 950, 1001},
		{"INDUSTRIES KRAMERICA", "Kramerica Industries", 950, 1001},
		{"DUNDERMIFFLIN", "Dunder Mifflin", 1000, 1001},
		{"GLOBEX", "Initech", 0, 600},
		{"JOHNSON CONTROLS", "Johnson Matthey", 0, 920},
	} {
		p, c := newNameForm(tc.payer, true), newNameForm(tc.customer, false)
		got := nameSimilarity(&p, &c)
		if got < tc.atLeast || got >= tc.below {
			t.Errorf("nameSimilarity(%q, %q) = %d, want in [%d, %d)", tc.payer, tc.customer, got, tc.atLeast, tc.below)
		}
	}
}

// TestNameIndex_FindsWithoutScanning: the search compares in full only the
// names that share trigrams with the query, never every customer.
func TestNameIndex_FindsWithoutScanning(t *testing.T) {
	var invs []Invoice
	for i := range 5000 {
		invs = append(invs, Invoice{ID: InvoiceID("I" + itoa(i)), Customer: CustomerID("C" + itoa(i)),
			CustomerName: synthName(i), Amount: usd(t, "1.00"), Open: usd(t, "1.00")})
	}
	book := NewBook(invs, nil)
	ix := newNameIndex(book)
	var s nameScratch
	target := 1234
	q := newNameForm(strings.ToUpper(synthName(target))[:len(synthName(target))-2], true)
	hits := ix.search(&q, &s, 700, 5)
	if len(hits) == 0 || book.custs[hits[0].cust].c.ID != CustomerID("C"+itoa(target)) {
		t.Fatalf("search for %q found %+v, want C%d first", q.compact, hits, target)
	}
	if len(s.best) > maxCandidates {
		t.Errorf("compared %d names in full, want at most %d", len(s.best), maxCandidates)
	}
}

func itoa(i int) string {
	return strings.TrimLeft(strings.Repeat("0", 1)+string(rune('0'+i/1000%10))+string(rune('0'+i/100%10))+
		string(rune('0'+i/10%10))+string(rune('0'+i%10)), "0")
}

var nameParts = [...]string{"Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Tyrell", "Cyberdyne",
	"Soylent", "Oscorp", "Hooli", "Vandelay", "Kramerica", "Wonka", "Gringotts", "Nakatomi", "Bluth", "Dunder",
	"Massive", "Octan", "Virtucon", "Zorg", "Genco", "Rekall"}
var nameTails = [...]string{"Industries", "Systems", "Trading", "Holdings", "Logistics", "Foods", "Labs",
	"Partners", "Supply", "Energy", "Media", "Works"}
var nameForms = [...]string{"Inc", "LLC", "Ltd", "GmbH", "Corp", "S.A.", "BV", "Co"}

// synthName returns a distinct company name for i.
func synthName(i int) string {
	return nameParts[i%len(nameParts)] + " " + nameParts[(i/len(nameParts))%len(nameParts)] + "son " +
		nameTails[(i/(len(nameParts)*len(nameParts)))%len(nameTails)] + " " + nameForms[i%len(nameForms)]
}

func BenchmarkNameSearch(b *testing.B) {
	w := newSynthWorld(3, 50_000, 50_000)
	book := w.book()
	ix := newNameIndex(book)
	for _, q := range []struct{ name, query string }{
		{"truncated", strings.ToUpper(w.custName[1234])[:16]},
		{"whole", strings.ToUpper(w.custName[40000])},
		{"stranger", "PAYER 123 HOLDINGS"},
		{"typo", "ACME GRANTIE LOGISTCS"},
	} {
		b.Run(q.name, func(b *testing.B) {
			var s nameScratch
			f := newNameForm(q.query, true)
			b.ReportAllocs()
			for b.Loop() {
				ix.search(&f, &s, suggestName, 5)
			}
		})
	}
}
