package bench

import (
	"strconv"
	"strings"
)

// Company names are built from four word lists, by a bijection from an index
// so that customers never share a name and unknown payers never take a
// customer's. Near neighbours share words ("Northgate Steel Works" and
// "Northgate Steel Supply"), as real customer lists do.
var (
	nameFirst = []string{
		"Acorn", "Alder", "Amber", "Apex", "Arbor", "Aspen", "Atlas", "Beacon", "Birch", "Bluewater",
		"Boulder", "Bright", "Canyon", "Cedar", "Clearview", "Cobalt", "Copper", "Crescent", "Crown",
		"Delta", "Eagle", "Elm", "Emerald", "Evergreen", "Falcon", "Fairway", "Frontier", "Garnet",
		"Golden", "Granite", "Harbor", "Hawthorn", "Highland", "Horizon", "Iron", "Juniper", "Keystone",
		"Lakeside", "Liberty", "Maple", "Meridian", "Midland", "Northgate", "Oakridge", "Pacific",
		"Pinnacle", "Prairie", "Redwood", "Summit", "Willow",
	}
	nameSecond = []string{
		"Steel", "Textile", "Food", "Paper", "Glass", "Plastics", "Auto", "Medical", "Chemical",
		"Lumber", "Packaging", "Electric", "Marine", "Dairy", "Grain", "Timber", "Tool", "Fabric",
		"Optical", "Rubber", "Cable", "Ceramic", "Farm", "Freight", "Energy", "Printing", "Pharma",
		"Coffee", "Software", "Building", "Metal", "Water", "Solar", "Garden", "Pet", "Beverage",
		"Fastener", "Hardware", "Apparel", "Furniture",
	}
	nameThird = []string{
		"Works", "Supply", "Industries", "Distribution", "Manufacturing", "Trading", "Systems",
		"Products", "Services", "Logistics", "Partners", "Holdings", "International", "Group",
		"Wholesale", "Solutions",
	}
	nameSuffix = []string{
		"Inc.", "LLC", "Corp.", "Co.", "Ltd", "Corporation", "Company", "GmbH", "PLC", "S.A.",
		"& Sons", "Limited",
	}
	nameSpace = len(nameFirst) * len(nameSecond) * len(nameThird) * len(nameSuffix)
)

// companyName returns the k-th company name. Names repeat only beyond the
// name space, with a number added.
func companyName(k int) string {
	n := k % nameSpace
	// A multiplier coprime with the space scatters neighbours.
	n = int((int64(n)*7919 + 13) % int64(nameSpace))
	d := n % len(nameSuffix)
	n /= len(nameSuffix)
	c := n % len(nameThird)
	n /= len(nameThird)
	b := n % len(nameSecond)
	a := n / len(nameSecond)
	name := nameFirst[a] + " " + nameSecond[b] + " " + nameThird[c] + " " + nameSuffix[d]
	if k >= nameSpace {
		name += " " + strconv.Itoa(k/nameSpace+1)
	}
	return name
}

// abbreviations are what banks and payers' systems do to long words.
var abbreviations = strings.NewReplacer(
	"MANUFACTURING", "MFG", "INTERNATIONAL", "INTL", "CORPORATION", "CORP", "COMPANY", "CO",
	"DISTRIBUTION", "DIST", "INDUSTRIES", "IND", "LOGISTICS", "LOG", "SERVICES", "SVCS",
	"LIMITED", "LTD", "PRODUCTS", "PROD", "WHOLESALE", "WHSL", "SOLUTIONS", "SOLNS",
)

var legalSuffixes = []string{" INC.", " LLC", " CORP.", " CO.", " LTD", " CORPORATION", " COMPANY",
	" GMBH", " PLC", " S.A.", " & SONS", " LIMITED"}

// mangle writes a name as a bank's file shows it: upper case, and at random
// without its legal suffix, abbreviated, without punctuation, cut to width.
func mangle(g *rng, name string, width int) string {
	s := strings.ToUpper(name)
	if g.chance(300) {
		for _, suf := range legalSuffixes {
			if strings.HasSuffix(s, suf) {
				s = strings.TrimSuffix(s, suf)
				break
			}
		}
	}
	if g.chance(400) {
		s = abbreviations.Replace(s)
	}
	if g.chance(500) {
		s = strings.NewReplacer(".", "", ",", "", "&", "AND").Replace(s)
	}
	if len(s) > width {
		s = strings.TrimSpace(s[:width])
	}
	return s
}

// personNames give unknown payers that are people, not companies.
var (
	givenNames  = []string{"JOHN", "MARIA", "DAVID", "LINDA", "JAMES", "SUSAN", "ROBERT", "KAREN", "MICHAEL", "ANNA"}
	familyNames = []string{"SMITH", "GARCIA", "MUELLER", "NGUYEN", "JOHNSON", "ROSSI", "TANAKA", "BROWN", "MARTIN", "KOWALSKI"}
)
