package engine

import "strconv"

// Scoring. Every piece of evidence for or against a candidate is a named
// feature worth a number of points, positive or negative, and a reason a
// specialist reads. Points are log-odds: ten points double the odds that
// the candidate is right, zero points are even odds. The confidence is
// odds/(1+odds), so 32 points give 0.901, just over the default auto
// threshold of 0.900, and no sum of points reaches certainty.
const (
	// How the invoices were named.
	ptsStructured     = 32
	ptsRF             = 30
	ptsText           = 28
	ptsSpaced         = 24
	ptsStructuredCore = 24
	ptsTextCore       = 22
	ptsListed         = 22
	ptsWrapped        = 20
	ptsRange          = 16
	ptsPO             = 16
	ptsShort          = 6
	ptsTypo           = 12

	// How the amount fits.
	ptsAmountExact      = 20
	ptsAmountAsStated   = 20
	ptsRounding         = 16
	ptsDiscount         = 14
	ptsBankFee          = 10
	ptsPartialStated    = 8
	ptsOverOnAccount    = 4
	ptsAmountMismatch   = -22
	ptsUnpaidListed     = -6 // per invoice named but left out, at most three
	ptsSeveralCustomers = -6
	ptsBeforeIssue      = -12

	// Who pays, for a candidate named by reference.
	ptsPayerAccount       = 12
	ptsPayerCustomerRef   = 12
	ptsPayerName95        = 8
	ptsPayerName90        = 5
	ptsPayerName80        = 2
	ptsUltimatePayer      = 8
	ptsAccountOfOther     = -6
	ptsNameOfOther        = -12
	ptsOtherInvoicesNamed = -10

	// Who pays and what the amount says, for a candidate without
	// reference.
	idAccount     = 20
	idCustomerRef = 20
	idReferences  = 14
	idName98      = 18
	idName95      = 16
	idName92      = 12
	idName88      = 6
	idName80      = 2
	ptsSingleOpen = 16
	ptsDiscounted = 12
	ptsSubsetBase = 16 // minus two per invoice beyond one, at least 4
	ptsWholeOpen  = 2
)

var howPoints = [...]int{
	hitStructured: ptsStructured, hitStructuredCore: ptsStructuredCore, hitRF: ptsRF,
	hitText: ptsText, hitTextCore: ptsTextCore, hitSpaced: ptsSpaced, hitWrapped: ptsWrapped,
	hitListed: ptsListed, hitRange: ptsRange, hitPO: ptsPO, hitShort: ptsShort, hitTypo: ptsTypo,
}

var howWords = [...]string{
	hitStructured:     "in the structured remittance",
	hitStructuredCore: "in the structured remittance, prefix or leading zeros as the payer wrote them",
	hitRF:             "as the ISO 11649 creditor reference",
	hitText:           "in the remittance text",
	hitTextCore:       "in the remittance text, prefix or leading zeros as the payer wrote them",
	hitSpaced:         "in the remittance text, with blanks inside the number",
	hitWrapped:        "in the remittance text, wrapped across lines",
	hitListed:         "in a list in the remittance text",
	hitRange:          "inside a range in the remittance text",
	hitPO:             "by its purchase order number",
	hitShort:          "as a short number in the remittance, which many documents could share",
	hitTypo:           "with one digit wrong or two swapped, as a possible typing error",
}

// nameIDPoints are the identity points of a payer name similarity, for a
// candidate without reference.
func nameIDPoints(sim int) int {
	switch {
	case sim >= 980:
		return idName98
	case sim >= 950:
		return idName95
	case sim >= 920:
		return idName92
	case sim >= 880:
		return idName88
	case sim >= 800:
		return idName80
	}
	return 0
}

// nameRefPoints are the points of a payer name similarity for a candidate
// named by reference.
func nameRefPoints(sim int) int {
	switch {
	case sim >= 950:
		return ptsPayerName95
	case sim >= 900:
		return ptsPayerName90
	case sim >= 800:
		return ptsPayerName80
	}
	return 0
}

// pow2Tenths[r] is 2^(r/10) in millionths.
var pow2Tenths = [10]int64{1000000, 1071773, 1148698, 1231144, 1319508, 1414214, 1515717,
	1624505, 1741101, 1866066}

// confidenceOf turns log-odds points into a confidence below Certain.
func confidenceOf(points int) Confidence {
	q, r := points/10, points%10
	if r < 0 {
		r += 10
		q--
	}
	num, den := pow2Tenths[r], int64(1000000)
	switch {
	case q > 30:
		return Certain - 1
	case q < -30:
		return 0
	case q >= 0:
		num <<= q
	default:
		den <<= -q
	}
	c := Confidence(1000 * num / (num + den))
	if c >= Certain {
		c = Certain - 1
	}
	return c
}

// sim formats a similarity in thousandths as a decimal fraction, "0.962"
// or "1.000".
func sim(s int) string {
	if s >= 1000 {
		return "1.000"
	}
	return Confidence(s).String()
}

// money formats minor units of currency c as "1234.50 USD", as
// Amount.String and the currency code would, without a decimal on the way.
func money(units int64, c Currency) string {
	return string(appendMinor(nil, units, c.Digits())) + " " + string(c)
}

// appendMinor appends units minor units with digits decimals: "-3.05".
func appendMinor(dst []byte, units int64, digits int32) []byte {
	neg := units < 0
	u := uint64(units)
	if neg {
		u = uint64(-units)
		dst = append(dst, '-')
	}
	s := strconv.FormatUint(u, 10)
	if digits <= 0 {
		return append(dst, s...)
	}
	for len(s) <= int(digits) {
		s = "0" + s
	}
	dst = append(dst, s[:len(s)-int(digits)]...)
	dst = append(dst, '.')
	return append(dst, s[len(s)-int(digits):]...)
}
