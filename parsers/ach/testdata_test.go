package ach

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated files in testdata")

// The 820s of the testdata files. Each is cut into addenda of 80 characters;
// TestTestdata_CutPoints checks that the cuts fall where the file names say.
const (
	// split820 is cut in the middle of segments and of the invoice number
	// INV-2026-000415.
	split820 = "ISA*00*          *00*          *ZZ*ACMEPAYER      *ZZ*CASHMATCHDEMO  *260317*1200*U*00401*000000417*0*P*>~" +
		"GS*RA*ACMEPAYER*CASHMATCHDEMO*20260317*1200*417*X*004010~ST*820*0417~" +
		"BPR*C*1500.00*C*ACH*CTX*01*121042882*DA*000123456789*1234567890**01*231380104*DA*987654321*20260318~" +
		"TRN*1*ACME-0417*1234567890~REF*TN*PAYRUN-17~N1*PR*ACME INDUSTRIAL SUPPLY CO~N1*PE*CASHMATCH DEMO INC~" +
		"ENT*1~RMR*IV*INV-2026-000415**500.00*500.00~DTM*003*20260301~RMR*IV*INV-2026-000416**250.00*250.00~" +
		"RMR*IV*INV-2026-000417**750.00*780.00*30.00~ADX*-30.00*01*IV*INV-2026-000417~" +
		"SE*13*0417~GE*1*417~IEA*1*000000417~"
	// custom820 uses '|' between elements, '^' between components and '!'
	// after segments, as the ISA declares; the cuts fall inside the ISA and
	// inside invoice number 90-7731.
	custom820 = "ISA|00|          |00|          |ZZ|GLOBEX         |ZZ|CASHMATCHDEMO  |260317|1200|U|00401|000000090|0|P|^!" +
		"GS|RA|GLOBEX|CASHMATCHDEMO|20260317|1200|90|X|004010!ST|820|0090!" +
		"BPR|C|980.00|C|ACH|CTX|01|121042882|DA|55500011|9876543210||01|231380104|DA|987654321|20260318!" +
		"TRN|1|G90!N1|PR|GLOBEX!ENT|1!ADX|-20.00|90!RMR|IV|90-7731||1000.00|1000.00!RMR|PO|PO-5512||0!" +
		"SE|9|0090!GE|1|90!IEA|1|000000090!"
)

// iso20022 is ISO 20022 remittance information as some CTX entries carry
// it instead of an 820.
const iso20022 = `<?xml version="1.0" encoding="UTF-8"?><Document><RmtInf><Ustrd>MARCH RUN</Ustrd><Strd><RfrdDocInf>` +
	`<Tp><CdOrPrtry><Cd>CINV</Cd></CdOrPrtry></Tp><Nb>INV-77</Nb><RltdDt>2026-03-01</RltdDt></RfrdDocInf><RfrdDocAmt>` +
	`<DuePyblAmt Ccy="USD">100.00</DuePyblAmt><DscntApldAmt Ccy="USD">2.00</DscntApldAmt><RmtdAmt Ccy="USD">98.00</RmtdAmt>` +
	`</RfrdDocAmt></Strd><Strd><RfrdDocInf><Tp><CdOrPrtry><Cd>CREN</Cd></CdOrPrtry></Tp><Nb>CN-5</Nb></RfrdDocInf>` +
	`<RfrdDocAmt><RmtdAmt Ccy="USD">-10.00</RmtdAmt></RfrdDocAmt></Strd></RmtInf></Document>`

// TestTestdata_Generate writes the NACHA files of testdata with -update.
// They are built by testFile, so their controls add up.
func TestTestdata_Generate(t *testing.T) {
	files := map[string][]byte{
		"ctx-820-split.ach":             ctxFile(t, split820, 150000),
		"ctx-820-custom-separators.ach": ctxFile(t, custom820, 98000),
		"ccd-plus-rmr.ach":              ccdPlusFile(t),
		"ctx-iso20022.ach":              ctxFile(t, iso20022, 8800),
	}
	for name, want := range files {
		path := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if string(got) != string(want) {
			t.Errorf("%s differs from what the test builds; run go test -update and review the diff", path)
		}
	}
}

func ctxFile(tb testing.TB, x12 string, cents int64) []byte {
	f := newTestFile(tb)
	f.batch("CTX", "ACME INDUSTRIAL", "1234567890")
	f.entry(22, cents, "ACME-0417", "CASHMATCH DEMO", f.addenda05(x12)...)
	return f.bytes()
}

func ccdPlusFile(tb testing.TB) []byte {
	f := newTestFile(tb)
	f.batch("CCD", "GLOBEX CORP", "9876543210")
	f.entry(22, 120000, "GLOBEX-1", "CASHMATCH DEMO", f.addenda05(`RMR*IV*INV-1001**1200.00*1200.00\`)...)
	f.entry(22, 49000, "GLOBEX-2", "CASHMATCH DEMO", f.addenda05(`RMR*IV*INV-1002**490.00*500.00*10.00\`)...)
	f.entry(22, 31500, "GLOBEX-3", "CASHMATCH DEMO", f.addenda05(`REF*PO*PO-88812\`)...)
	f.entry(22, 7500, "GLOBEX-4", "CASHMATCH DEMO", f.addenda05("PAYMENT FOR INVOICES 1004 AND 1005")...)
	f.entry(27, 2500, "GLOBEX-5", "CASHMATCH DEMO")
	return f.bytes()
}

func TestTestdata_CutPoints(t *testing.T) {
	cut := func(s string) []string {
		var out []string
		for len(s) > 80 {
			out, s = append(out, s[:80]), s[80:]
		}
		return append(out, s)
	}
	straddles := func(pieces []string, s string) bool {
		for i := 0; i+1 < len(pieces); i++ {
			joined := pieces[i] + pieces[i+1]
			at := strings.Index(joined, s)
			if at >= 0 && at < 80 && at+len(s) > 80 {
				return true
			}
		}
		return false
	}
	if p := cut(split820); !straddles(p, "INV-2026-000415") {
		t.Errorf("split820 does not cut invoice INV-2026-000415: %q", p)
	}
	if p := cut(custom820); !straddles(p, "90-7731") || !straddles(p, "ISA|00") && !straddles(p, "|1200|U|") {
		t.Errorf("custom820 does not cut invoice 90-7731 and its ISA: %q", p)
	}
}
