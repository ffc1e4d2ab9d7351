package camt

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/parsers"
	"github.com/moov-io/iso20022/pkg/camt_v08"
	"github.com/moov-io/iso20022/pkg/document"
	"github.com/shopspring/decimal"
)

// schemaCase is a 001.08 file with the verdict of the published XSD
// (camt.05x.001.08.xsd as shipped in the moov-io/iso20022 v0.2.1 module,
// checked with xmllint --schema) and of moov-io/iso20022's own Validate.
type schemaCase struct {
	path      string // below $CASHMATCH_CORPUS, or in testdata
	corpus    bool
	xsdValid  bool
	moovValid bool
	wantErr   string // part of the strict check's refusal
}

var schemaCases = []schemaCase{
	{"camt052/genkgo-camt052-v08.xml", true, true, false, ""},
	{"camt053/genkgo-camt053-v08.xml", true, true, false, ""},
	{"camt054/genkgo-camt054-v08.xml", true, true, false, ""},
	{"camt054/genkgo-camt054-v08-uetr.xml", true, true, false, ""},
	// The UETR d0826d0f-a005-5e3b-... is not a version 4 UUID, which the
	// schema's pattern requires.
	{"camt053/viafintech-camt053-v08-ch-multiccy.xml", true, false, false, "Refs/UETR"},
	{"testdata/camt.053.001.08-features.xml", false, true, false, ""},
}

func (c schemaCase) file(t *testing.T) string {
	if !c.corpus {
		return c.path
	}
	root := os.Getenv("CASHMATCH_CORPUS")
	if root == "" {
		t.Skip("CASHMATCH_CORPUS is not set")
	}
	return filepath.Join(root, c.path)
}

// TestSchema08_XSDWinsOverMoov: moov-io/iso20022's Validate refuses every
// one of these files, also those the published XSD accepts, because it
// treats each alternative of a choice (IBAN or Othr, Pty or Agt) as
// required. Where its verdict and the XSD disagree, the XSD wins: the
// strict check follows the XSD on every file.
func TestSchema08_XSDWinsOverMoov(t *testing.T) {
	for _, c := range schemaCases {
		t.Run(filepath.Base(c.path), func(t *testing.T) {
			data, err := os.ReadFile(c.file(t))
			if err != nil {
				t.Fatal(err)
			}
			doc, err := document.ParseIso20022Document(document08(data))
			if err != nil {
				t.Fatal(err)
			}
			if moovErr := doc.Validate(); (moovErr == nil) != c.moovValid {
				t.Errorf("moov-io/iso20022 Validate = %v, want valid %v", moovErr, c.moovValid)
			}
			err = checkSchema08(data)
			if (err == nil) != c.xsdValid {
				t.Errorf("strict schema check = %v; the XSD says valid %v", err, c.xsdValid)
			}
			if err != nil && !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("strict schema check = %v, want it to name %s", err, c.wantErr)
			}
		})
	}
}

// TestSchema08_XSDVerdicts re-establishes the XSD verdicts of schemaCases
// with xmllint when it is installed.
func TestSchema08_XSDVerdicts(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint is not installed")
	}
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/moov-io/iso20022").Output()
	if err != nil {
		t.Skipf("moov-io/iso20022 module directory: %v", err)
	}
	xsdDir := filepath.Join(strings.TrimSpace(string(out)), "docs/specifications/banktocustomer_cash_management_8")
	for _, c := range schemaCases {
		path := c.file(t)
		data, _ := os.ReadFile(path)
		msg, _, _ := namespaceIn(data)
		xsd := filepath.Join(xsdDir, string(msg.format)+".001.08.xsd")
		err := exec.Command(xmllint, "--noout", "--schema", xsd, path).Run()
		if (err == nil) != c.xsdValid {
			t.Errorf("%s: xmllint against %s: %v, want valid %v", c.path, filepath.Base(xsd), err, c.xsdValid)
		}
	}
}

// TestSchema08_Refusals breaks a schema-valid file in ways the strict check
// must catch.
func TestSchema08_Refusals(t *testing.T) {
	valid, err := os.ReadFile("testdata/camt.053.001.08-features.xml")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, old, new, want string }{
		{"invalid IBAN pattern", "<IBAN>DE89370400440532013000</IBAN>", "<IBAN>de89</IBAN>", "BkToCstmrStmt/Stmt[1]/Acct/Id/IBAN"},
		{"two alternatives of a choice", "<IBAN>DE89370400440532013000</IBAN>",
			"<IBAN>DE89370400440532013000</IBAN><Othr><Id>X</Id></Othr>", "Acct/Id: a choice needs exactly one"},
		{"invalid BIC", "<BICFI>BYLADEM1001</BICFI>", "<BICFI>byla</BICFI>", "TxDtls[1]/RltdAgts/DbtrAgt/FinInstnId/BICFI"},
		{"missing statement id", "<Id>STMT-2026-03-17</Id>", "", "Stmt[1]/Id: required element missing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := bytes.Replace(valid, []byte(c.old), []byte(c.new), 1)
			_, _, err := readAll(t, "s.xml", in, true)
			var pe *parsers.ParseError
			if !errors.As(err, &pe) || pe.Record != "schema" || !strings.Contains(err.Error(), c.want) {
				t.Errorf("strict read = %v, want a schema refusal naming %q", err, c.want)
			}
		})
	}
}

// oraclePayment is what the payments of a 001.08 file should be, derived
// from moov-io/iso20022's decoding of it.
type oraclePayment struct {
	amount        decimal.Decimal
	ccy           string
	dir           engine.Direction
	status        engine.Status
	booking, val  string
	endToEnd      string
	payer         string
	lines         []string
	docs, credRef []string
}

// TestDifferential_Moov08 reads every 001.08 file with this reader and with
// moov-io/iso20022 and compares, payment by payment, amounts, directions,
// statuses, dates, end-to-end ids, payer names and remittance.
func TestDifferential_Moov08(t *testing.T) {
	for _, c := range schemaCases {
		t.Run(filepath.Base(c.path), func(t *testing.T) {
			data, err := os.ReadFile(c.file(t))
			if err != nil {
				t.Fatal(err)
			}
			doc, err := document.ParseIso20022Document(document08(data))
			if err != nil {
				t.Fatal(err)
			}
			want := oracle(t, doc.InspectMessage())
			got, _, err := readAll(t, "d.xml", data, false)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%d payments, moov-io/iso20022 gives %d", len(got), len(want))
			}
			for i, w := range want {
				compareOracle(t, got[i], w)
			}
		})
	}
}

func compareOracle(t *testing.T, p engine.Payment, w oraclePayment) {
	t.Helper()
	var docs, credRefs []string
	for _, r := range p.Remittance.References {
		if r.Qualifier != "" && (r.Kind == engine.RefInvoice || r.Kind == engine.RefCreditNote || r.Kind == engine.RefPO) {
			docs = append(docs, r.Value)
		} else {
			credRefs = append(credRefs, r.Value)
		}
	}
	lines := strings.Join(p.Remittance.Lines, "|")
	if !p.Amount.Value.Equal(w.amount) || string(p.Amount.Currency) != w.ccy || p.Direction != w.dir ||
		p.Status != w.status || p.BookingDate.String() != w.booking || p.ValueDate.String() != w.val ||
		p.EndToEndID != w.endToEnd || p.PayerName != w.payer || lines != strings.Join(w.lines, "|") ||
		strings.Join(docs, "|") != strings.Join(w.docs, "|") || strings.Join(credRefs, "|") != strings.Join(w.credRef, "|") {
		t.Errorf("%s:\ngot  %s %s %s %s %s %s e2e=%q payer=%q lines=%q docs=%q refs=%q\nwant %s %s %s %s %s %s e2e=%q payer=%q lines=%q docs=%q refs=%q",
			p.Source, p.Amount.Value, p.Amount.Currency, p.Direction, p.Status, p.BookingDate, p.ValueDate,
			p.EndToEndID, p.PayerName, p.Remittance.Lines, docs, credRefs,
			w.amount, w.ccy, w.dir, w.status, w.booking, w.val, w.endToEnd, w.payer, w.lines, w.docs, w.credRef)
	}
}

// oracle derives the payments from the decoded model: one per TxDtls, one
// per entry without any.
func oracle(t *testing.T, msg document.Iso20022Message) []oraclePayment {
	var entries [][]camt_v08.ReportEntry10
	switch m := msg.(type) {
	case *camt_v08.BankToCustomerStatementV08:
		for _, s := range m.Stmt {
			entries = append(entries, s.Ntry)
		}
	case *camt_v08.BankToCustomerAccountReportV08:
		for _, s := range m.Rpt {
			entries = append(entries, s.Ntry)
		}
	case *camt_v08.BankToCustomerDebitCreditNotificationV08:
		for _, s := range m.Ntfctn {
			entries = append(entries, s.Ntry)
		}
	default:
		t.Fatalf("unexpected message %T", msg)
	}
	var out []oraclePayment
	for _, report := range entries {
		for _, e := range report {
			out = append(out, oracleEntry(e)...)
		}
	}
	return out
}

func oracleEntry(e camt_v08.ReportEntry10) []oraclePayment {
	base := oraclePayment{
		amount: decimal.NewFromFloat(e.Amt.Value), ccy: string(e.Amt.Ccy),
		dir: oracleDir(string(e.CdtDbtInd)), booking: oracleDate(e.BookgDt), val: oracleDate(e.ValDt),
	}
	switch e.Sts.Cd {
	case "BOOK":
		base.status = engine.Booked
	case "PDNG":
		base.status = engine.Pending
	default:
		base.status = engine.Informational
	}
	if e.RvslInd {
		base.status = engine.Reversal
	}
	var txs []camt_v08.EntryTransaction10
	for _, d := range e.NtryDtls {
		txs = append(txs, d.TxDtls...)
	}
	if len(txs) == 0 {
		p := base
		if e.AddtlNtryInf != nil {
			p.lines = []string{string(*e.AddtlNtryInf)}
		}
		return []oraclePayment{p}
	}
	var out []oraclePayment
	for _, tx := range txs {
		p := base
		switch {
		case tx.Amt != nil:
			p.amount, p.ccy = decimal.NewFromFloat(tx.Amt.Value), string(tx.Amt.Ccy)
		case tx.AmtDtls != nil && tx.AmtDtls.TxAmt != nil:
			p.amount, p.ccy = decimal.NewFromFloat(tx.AmtDtls.TxAmt.Amt.Value), string(tx.AmtDtls.TxAmt.Amt.Ccy)
		}
		if tx.CdtDbtInd != nil {
			p.dir = oracleDir(string(*tx.CdtDbtInd))
		}
		if tx.Refs != nil && tx.Refs.EndToEndId != nil && string(*tx.Refs.EndToEndId) != "NOTPROVIDED" {
			p.endToEnd = string(*tx.Refs.EndToEndId)
		}
		p.payer = oraclePayer(tx.RltdPties, p.dir, e.RvslInd)
		if tx.RmtInf != nil {
			for _, u := range tx.RmtInf.Ustrd {
				p.lines = append(p.lines, string(u))
			}
			for _, s := range tx.RmtInf.Strd {
				for _, d := range s.RfrdDocInf {
					if d.Nb != nil {
						p.docs = append(p.docs, string(*d.Nb))
					}
				}
				if s.CdtrRefInf != nil && s.CdtrRefInf.Ref != nil {
					p.credRef = append(p.credRef, string(*s.CdtrRefInf.Ref))
				}
				for _, a := range s.AddtlRmtInf {
					p.lines = append(p.lines, string(a))
				}
			}
		}
		out = append(out, p)
	}
	return out
}

func oracleDir(code string) engine.Direction {
	if code == "DBIT" {
		return engine.Debit
	}
	return engine.Credit
}

func oracleDate(d *camt_v08.DateAndDateTime2Choice) string {
	if d == nil {
		return ""
	}
	if t := time.Time(d.Dt); !t.IsZero() {
		return t.Format(time.DateOnly)
	}
	if t := time.Time(d.DtTm); !t.IsZero() {
		return t.Format(time.DateOnly)
	}
	return ""
}

func oraclePayer(p *camt_v08.TransactionParties6, dir engine.Direction, reversal bool) string {
	if p == nil {
		return ""
	}
	name := func(c *camt_v08.Party40Choice) string {
		if c == nil || c.Pty == nil || c.Pty.Nm == nil {
			return ""
		}
		return string(*c.Pty.Nm)
	}
	usual, other := name(p.Dbtr), name(p.Cdtr)
	if dir == engine.Debit {
		usual, other = other, usual
	}
	if reversal && other != "" {
		return other
	}
	return usual
}
