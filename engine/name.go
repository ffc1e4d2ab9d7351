package engine

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// nameForm is a name prepared for comparison: its words, normalized, and
// the words run together.
type nameForm struct {
	words   []string
	compact string
	// raw is the length of the name as written, trimmed.
	raw int
}

// legalForms are company-form words that say nothing about who pays, after
// punctuation is removed and single letters are joined ("S.p.A." and
// "S P A" become SPA).
var legalForms = setOf(
	"INC", "INCORPORATED", "CORP", "CORPORATION", "CO", "COMPANY", "CIE", "LLC", "LLP", "LP",
	"LLLP", "PLLC", "PC", "LTD", "LTDA", "LIMITED", "PLC", "GMBH", "MBH", "AG", "KG", "KGAA",
	"OHG", "EK", "UG", "SA", "SAS", "SASU", "SARL", "EURL", "SNC", "SRL", "SPA", "SAPA", "SNC",
	"BV", "NV", "VOF", "BVBA", "SPRL", "AB", "HB", "AS", "ASA", "APS", "OY", "OYJ", "SE",
	"SL", "SLU", "SC", "SPZOO", "ZOO", "SRO", "AS", "KFT", "ZRT", "NYRT", "DOO", "DD", "AD",
	"OOO", "ZAO", "OAO", "PAO", "PTY", "PTE", "PVT", "BHD", "SDN", "KK", "YK", "CV", "SAB",
	"DE", "RL", "THE", "AND", "ET", "UND", "Y", "EN",
)

// abbreviations maps short forms to the word they stand for, so that both
// sides of a comparison use the long form.
var abbreviations = map[string]string{
	"INTL": "INTERNATIONAL", "INTERNATL": "INTERNATIONAL", "MFG": "MANUFACTURING",
	"MFRS": "MANUFACTURERS", "MFR": "MANUFACTURER", "BROS": "BROTHERS", "ASSOC": "ASSOCIATES",
	"ASSOCS": "ASSOCIATES", "ASSN": "ASSOCIATION", "SVCS": "SERVICES", "SVC": "SERVICE",
	"SERV": "SERVICES", "SYS": "SYSTEMS", "SYST": "SYSTEMS", "IND": "INDUSTRIES",
	"INDS": "INDUSTRIES", "INDUS": "INDUSTRIES", "NATL": "NATIONAL", "AMER": "AMERICA",
	"DIST": "DISTRIBUTION", "DISTR": "DISTRIBUTION", "DISTRIB": "DISTRIBUTION",
	"ENGG": "ENGINEERING", "ENGR": "ENGINEERING", "ENT": "ENTERPRISES",
	"ENTS": "ENTERPRISES", "ENTERPR": "ENTERPRISES", "GRP": "GROUP", "HLDGS": "HOLDINGS",
	"HLDG": "HOLDING", "HOLDG": "HOLDING", "MGMT": "MANAGEMENT", "MGT": "MANAGEMENT",
	"MKTG": "MARKETING", "LABS": "LABORATORIES", "LAB": "LABORATORIES",
	"PHARMA": "PHARMACEUTICALS", "PHARM": "PHARMACEUTICALS", "SOLNS": "SOLUTIONS",
	"SOLS": "SOLUTIONS", "COMMS": "COMMUNICATIONS", "COMM": "COMMUNICATIONS",
	"CTR": "CENTER", "CNTR": "CENTER", "CENTRE": "CENTER", "UNIV": "UNIVERSITY",
	"HOSP": "HOSPITAL", "TECH": "TECHNOLOGIES", "TECHS": "TECHNOLOGIES",
	"TECHNOLOGY": "TECHNOLOGIES", "ELEC": "ELECTRIC", "ELECT": "ELECTRIC", "CHEM": "CHEMICAL",
	"CHEMS": "CHEMICALS", "EQUIP": "EQUIPMENT", "EQPT": "EQUIPMENT", "INS": "INSURANCE",
	"FIN": "FINANCIAL", "FINL": "FINANCIAL", "PROD": "PRODUCTS", "PRODS": "PRODUCTS",
	"CONST": "CONSTRUCTION", "CONSTR": "CONSTRUCTION", "TRANS": "TRANSPORT",
	"TRANSP": "TRANSPORT", "INVEST": "INVESTMENTS", "INVS": "INVESTMENTS",
	"DEV": "DEVELOPMENT", "DEVT": "DEVELOPMENT", "PPTY": "PROPERTY", "PROP": "PROPERTIES",
	"PROPS": "PROPERTIES", "RES": "RESOURCES", "RESRCS": "RESOURCES", "ST": "SAINT",
	"MT": "MOUNT", "FT": "FORT", "GEN": "GENERAL", "GENL": "GENERAL", "MED": "MEDICAL",
	"AUTO": "AUTOMOTIVE", "AUTOMOT": "AUTOMOTIVE", "BLDG": "BUILDING", "BLDRS": "BUILDERS",
	"CONSULT": "CONSULTING", "CONSLT": "CONSULTING", "INSTR": "INSTRUMENTS",
	"INSTRS": "INSTRUMENTS", "MATL": "MATERIALS", "MATLS": "MATERIALS",
	"DISTRS": "DISTRIBUTORS", "SUPP": "SUPPLY", "SPLY": "SUPPLY", "WHSE": "WAREHOUSE",
	"WHSL": "WHOLESALE", "WHLSL": "WHOLESALE", "WHOLESALERS": "WHOLESALE", "LOG": "LOGISTICS",
	"PKG": "PACKAGING", "PKGING": "PACKAGING", "TRDG": "TRADING", "BEV": "BEVERAGES",
}

// payerNoise are words that banks put before the payer's name in free
// text ("PAYMENT FROM ACME"); they are dropped at the start of a payer name.
var payerNoise = setOf(
	"PAYMENT", "PMT", "PYMT", "PAYMT", "FROM", "ACH", "WIRE", "TRANSFER", "TRF", "XFER",
	"CREDIT", "CR", "REMIT", "REMITTANCE", "ORIG", "ORIGINATOR",
	"CHECK", "CHK", "DEPOSIT", "FEDWIRE", "SWIFT", "SEPA", "CCD", "CTX", "PPD", "RECEIVED",
	"INCOMING", "BNF",
)

// payerTail are words that a bank's field layout leaves after the payer's
// name ("ACME CORP ORIG").
var payerTail = setOf("ORIG", "ID", "OBI", "BNF", "REF", "ENTRY")

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// newNameForm normalizes a customer or payer name: accents folded, upper
// case, punctuation removed, single letters joined, abbreviations expanded,
// legal forms and "THE" dropped (unless nothing else is left), and a legal
// form run onto the last word split off ("ACMECORP" becomes ACME).
func newNameForm(s string, payer bool) nameForm {
	raw := splitWords(foldName(s))
	raw = joinSingleLetters(raw)
	if payer {
		for len(raw) > 1 && payerNoise[raw[0]] {
			raw = raw[1:]
		}
		for len(raw) > 1 && payerTail[raw[len(raw)-1]] {
			raw = raw[:len(raw)-1]
		}
	}
	words := make([]string, 0, len(raw))
	for _, w := range raw {
		if long, ok := abbreviations[w]; ok {
			w = long
		}
		if legalForms[w] {
			continue
		}
		words = append(words, w)
	}
	if len(words) == 0 {
		words = raw
	}
	if n := len(words); n > 0 {
		if head, ok := cutLegalSuffix(words[n-1]); ok {
			words[n-1] = head
		}
	}
	return nameForm{words: words, compact: strings.Join(words, ""), raw: len(strings.TrimSpace(s))}
}

// cutLegalSuffix splits a legal form run onto a word: "ACMECORP" is ACME.
func cutLegalSuffix(w string) (string, bool) {
	for _, suffix := range [...]string{"CORPORATION", "CORP", "INC", "LLC", "LTD", "GMBH", "LIMITED"} {
		if len(w) >= len(suffix)+3 && strings.HasSuffix(w, suffix) {
			return w[:len(w)-len(suffix)], true
		}
	}
	return w, false
}

// foldName returns s in upper case with accents removed. German umlauts
// become AE, OE and UE, as banks transliterate them.
func foldName(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToUpper(s)
	}
	var b strings.Builder
	for _, r := range norm.NFC.String(s) {
		if r < utf8.RuneSelf {
			b.WriteRune(unicode.ToUpper(r))
			continue
		}
		if t, ok := letterFolds[unicode.ToLower(r)]; ok {
			b.WriteString(t)
			continue
		}
		// A letter with an accent decomposes into its base letter and
		// combining marks; keep the base letter.
		base, _ := utf8.DecodeRuneInString(norm.NFD.String(string(r)))
		b.WriteRune(unicode.ToUpper(base))
	}
	return b.String()
}

var letterFolds = map[rune]string{
	'ß': "SS", 'ä': "AE", 'ö': "OE", 'ü': "UE", 'æ': "AE", 'œ': "OE", 'ø': "O", 'ł': "L",
	'đ': "D", 'ð': "D", 'þ': "TH", 'ı': "I",
}

// splitWords splits upper-case text into words of letters and digits. An
// apostrophe joins ("MACY'S" is MACYS); "&" is dropped.
func splitWords(s string) []string {
	var words []string
	var cur []byte
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
	}
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf && upperAlnum(byte(r)) != 0:
			cur = append(cur, byte(r))
		case r == '\'' || r == '’':
		case r >= utf8.RuneSelf && unicode.IsLetter(r):
			cur = utf8.AppendRune(cur, r)
		default:
			flush()
		}
	}
	flush()
	return words
}

// joinSingleLetters joins runs of one-letter words: "S P A" becomes "SPA",
// "I B M CORP" becomes "IBM CORP".
func joinSingleLetters(words []string) []string {
	out := words[:0:0]
	for i := 0; i < len(words); {
		if len(words[i]) != 1 {
			out = append(out, words[i])
			i++
			continue
		}
		j := i
		for j < len(words) && len(words[j]) == 1 {
			j++
		}
		if j-i == 1 {
			out = append(out, words[i])
		} else {
			out = append(out, strings.Join(words[i:j], ""))
		}
		i = j
	}
	return out
}

// nameSimilarity returns how alike two normalized names are, in
// thousandths: the better of Jaro-Winkler over the names run together
// (which forgives words run together or split) and a word-by-word
// comparison (which forgives word order and truncated last words).
func nameSimilarity(a, b *nameForm) int {
	if a.compact == "" || b.compact == "" {
		return 0
	}
	if a.compact == b.compact {
		return 1000
	}
	// Names of as many words compare word by word: run together, two names
	// that share their first words would look alike however their last
	// words differ.
	s := wordSimilarity(a.words, b.words)
	if len(a.words) != len(b.words) {
		s = max(s, jaroWinkler(a.compact, b.compact))
	}
	if t := truncatedSimilarity(a, b); t > s {
		s = t
	}
	return s
}

// fieldWidths are the widths to which banks cut a payer's name: an ACH
// company name (16), an ACH individual name (22), a wire or SEPA party
// line (35).
var fieldWidths = [...]int{16, 22, 35}

// truncatedSimilarity scores payer name a that is the start of customer
// name b, as a bank cuts a name to the width of its field: from 0.940 for a
// short start to 1 for the whole name. The cut must show: a last word cut
// short ("MIDLAND METAL GR"), or a name exactly as long as a field. Starts
// under eight characters say too little and score 0.
func truncatedSimilarity(a, b *nameForm) int {
	if len(a.compact) < 8 || !strings.HasPrefix(b.compact, a.compact) || len(a.words) == 0 {
		return 0
	}
	n := len(a.words)
	cut := n <= len(b.words) && a.words[n-1] != b.words[n-1]
	for _, w := range fieldWidths {
		cut = cut || a.raw == w || a.raw == w-1
	}
	if !cut {
		return 0
	}
	return 940 + 60*len(a.compact)/len(b.compact)
}

// wordSimilarity pairs each word with its most similar word of the other
// name and averages both directions, weighting words by length. A word
// truncated by the bank ("INDUSTRI") still pairs well by Jaro-Winkler.
func wordSimilarity(a, b []string) int {
	if len(a) == 0 || len(b) == 0 || len(a) > 12 || len(b) > 12 {
		return 0
	}
	// Each pair is compared once; the best of each row and each column
	// give the two directions.
	var bestA, bestB [12]int
	for i, w := range a {
		for j, v := range b {
			s := jaroWinkler(w, v)
			bestA[i] = max(bestA[i], s)
			bestB[j] = max(bestB[j], s)
		}
	}
	return (weighted(a, bestA[:len(a)]) + weighted(b, bestB[:len(b)])) / 2
}

// weighted averages best[i] over words, weighting each by its length.
func weighted(words []string, best []int) int {
	var sum, weight int
	for i, w := range words {
		sum += best[i] * len(w)
		weight += len(w)
	}
	return sum / weight
}

// jaroWinkler returns the Jaro-Winkler similarity of two strings in
// thousandths, comparing bytes, with the usual prefix scale of 0.1 over at
// most four characters, applied when the Jaro similarity exceeds 0.7.
func jaroWinkler(a, b string) int {
	if a == b {
		return 1000
	}
	la, lb := len(a), len(b)
	if la == 0 || lb == 0 {
		return 0
	}
	if la > lb {
		a, b, la, lb = b, a, lb, la
	}
	window := lb/2 - 1
	if window < 0 {
		window = 0
	}
	var flagsA, flagsB [64]bool
	var fa, fb []bool
	if lb <= 64 {
		fa, fb = flagsA[:la], flagsB[:lb]
	} else {
		fa, fb = make([]bool, la), make([]bool, lb)
	}
	m := 0
	for i := 0; i < la; i++ {
		lo, hi := max(0, i-window), min(lb, i+window+1)
		for j := lo; j < hi; j++ {
			if !fb[j] && a[i] == b[j] {
				fa[i], fb[j] = true, true
				m++
				break
			}
		}
	}
	if m == 0 {
		return 0
	}
	t, j := 0, 0
	for i := 0; i < la; i++ {
		if !fa[i] {
			continue
		}
		for !fb[j] {
			j++
		}
		if a[i] != b[j] {
			t++
		}
		j++
	}
	t /= 2
	// Jaro = (m/la + m/lb + (m-t)/m) / 3, computed over a common
	// denominator so that integer division loses less than a thousandth.
	num := int64(m)*int64(lb)*int64(m) + int64(m)*int64(la)*int64(m) + int64(m-t)*int64(la)*int64(lb)
	den := 3 * int64(la) * int64(lb) * int64(m)
	jaro := int(1000 * num / den)
	if jaro <= 700 {
		return jaro
	}
	prefix := 0
	for prefix < 4 && prefix < la && a[prefix] == b[prefix] {
		prefix++
	}
	return jaro + prefix*(1000-jaro)/10
}
