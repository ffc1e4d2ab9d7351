package bai2

import (
	"math/rand/v2"
	"strconv"
)

// genDetail is one kind of detail the generator writes.
type genDetail struct {
	code  string
	funds string // the funds type field and the fields it adds
	text  func(b []byte, r *rand.Rand) []byte
}

var genPayers = []string{"ACME CORP", "GLOBEX INC", "INITECH LLC", "UMBRELLA CORPORATION", "STARK INDUSTRIES",
	"WAYNE ENTERPRISES", "SOYLENT CORP", "HOOLI INC", "CYBERDYNE SYSTEMS", "TYRELL CORP"}

var genDetails = []genDetail{
	{"165", "0", func(b []byte, r *rand.Rand) []byte { // ACH credit with an addenda line
		b = append(b, "ORIG CO NAME:"...)
		b = append(b, genPayers[r.IntN(len(genPayers))]...)
		b = append(b, "  ORIG ID:"...)
		b = strconv.AppendInt(b, 1000000000+r.Int64N(9000000000), 10)
		b = append(b, " SEC:CCD\n88,INV INV-0"...)
		return strconv.AppendInt(b, 10000+r.Int64N(90000), 10)
	}},
	{"195", "Z", func(b []byte, r *rand.Rand) []byte { // incoming wire, Fedwire keys
		b = append(b, "INCOMING WIRE\n88,ORG:="...)
		b = append(b, genPayers[r.IntN(len(genPayers))]...)
		b = append(b, "\n88,OBI:=INVOICE "...)
		return strconv.AppendInt(b, 100000+r.Int64N(900000), 10)
	}},
	{"115", "S,150000,200000,0", func(b []byte, r *rand.Rand) []byte { // lockbox
		b = append(b, "LOCKBOX DEPOSIT BATCH "...)
		return strconv.AppendInt(b, r.Int64N(1000), 10)
	}},
	{"475", "", func(b []byte, r *rand.Rand) []byte { // check paid
		b = append(b, "CHECK PAID/"...)
		return b
	}},
	{"142", "V,260302,", func(b []byte, r *rand.Rand) []byte { // value-dated ACH, GS keys
		b = append(b, "ACH Credit Payment, Entry Description: TRADE, SEC: CTX\n88,DBNM: "...)
		b = append(b, genPayers[r.IntN(len(genPayers))]...)
		b = append(b, "\n88,EREF: E2E"...)
		return strconv.AppendInt(b, r.Int64N(1e9), 10)
	}},
}

// generate writes a deterministic BAI2 file of at least size bytes: groups
// of accounts accounts of perAccount details of the kinds above, with
// correct trailers. It returns the file and the number of details.
func generate(size, accounts, perAccount int) ([]byte, int) {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, 0, size+size/8)
	b = append(b, "01,021000021,ACMEAR,260302,0700,1,,,2/\n"...)
	details, groups := 0, 0
	fileRecords, fileTotal := 2, int64(0)
	for groups == 0 || len(b) < size {
		groups++
		b = append(b, "02,ACMEAR,021000021,1,260301,2400,USD,2/\n"...)
		groupRecords, groupTotal := 2, int64(0)
		for a := range accounts {
			b = append(b, "03,44710"...)
			b = strconv.AppendInt(b, int64(groups*100+a), 10)
			b = append(b, ",USD,010,5000000,,,015,5000000,,/\n"...)
			records, total := 2, int64(10000000)
			for range perAccount {
				d := genDetails[r.IntN(len(genDetails))]
				amount := 100 + r.Int64N(5000000)
				total += amount
				b = append(b, "16,"...)
				b = append(b, d.code...)
				b = append(b, ',')
				b = strconv.AppendInt(b, amount, 10)
				b = append(b, ',')
				b = append(b, d.funds...)
				b = append(b, ",BR"...)
				b = strconv.AppendInt(b, int64(details), 10)
				b = append(b, ",,"...)
				start := len(b)
				b = d.text(b, r)
				b = append(b, '\n')
				records++
				for _, c := range b[start:] {
					if c == '\n' {
						records++
					}
				}
				records-- // the line break of the 16 itself
				details++
			}
			b = appendTrailer(b, "49", total, -1, records)
			groupRecords += records
			groupTotal += total
		}
		b = appendTrailer(b, "98", groupTotal, accounts, groupRecords)
		fileRecords += groupRecords
		fileTotal += groupTotal
	}
	return appendTrailer(b, "99", fileTotal, groups, fileRecords), details
}

func appendTrailer(b []byte, code string, total int64, children, records int) []byte {
	b = append(b, code...)
	b = append(b, ',')
	b = strconv.AppendInt(b, total, 10)
	if children >= 0 {
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(children), 10)
	}
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(records), 10)
	return append(b, "/\n"...)
}
