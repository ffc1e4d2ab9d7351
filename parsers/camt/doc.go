// Package camt reads ISO 20022 bank-to-customer cash management messages,
// camt.053 statements, camt.052 intraday reports and camt.054 debit/credit
// notifications, versions 001.01 to 001.13, into engine.Payment values.
//
// # Format
//
// A Document in a namespace such as
// urn:iso:std:iso:20022:tech:xsd:camt.053.001.08 holds one message
// (BkToCstmrStmt, BkToCstmrAcctRpt, BkToCstmrDbtCdtNtfctn), which holds
// account reports (Stmt, Rpt, Ntfctn): the account, its balances (Bal), an
// optional summary of the entries (TxsSummry) and the entries (Ntry). An
// entry is one booking on the account; its details (NtryDtls) list the
// transactions (TxDtls) it is made of, with their parties, references and
// remittance information (RmtInf). The Document may sit in an envelope
// beside a business application header (AppHdr); the reader skips the rest.
// The version comes from the namespace; version.go lists how the versions
// differ in what the reader uses.
//
// # Payments
//
// Each TxDtls becomes one payment, and an entry without any becomes one.
// Amounts are TxDtls/Amt, else AmtDtls/TxAmt; a single TxDtls without an
// amount takes the entry amount, and several such transactions of one entry
// become one payment of the entry amount (with a warning), since the entry
// cannot be divided among them. Status maps BOOK, PDNG (and FUTR) and INFO
// to booked, pending and informational; RvslInd makes a reversal, which
// keeps the direction of its own CdtDbtInd. Dates are taken as written: the
// calendar date of a DtTm, with no time-zone shift. The payer is the
// debtor side (Dbtr, UltmtDbtr, DbtrAcct, DbtrAgt) of a credit and the
// creditor side of a debit. Every Ustrd line is kept as written; each
// structured block (Strd) gives a reference per referred document and its
// creditor reference, with the amounts it states. An ISO 11649 creditor
// reference is of kind rf only when its check digits verify; other schemes,
// such as the Swiss QR reference, are kept as given. Charges, the
// instructed amount and the exchange rate come from the TxDtls, or from the
// entry for a payment made of the entry alone, since entry-level figures of
// a batch cannot be divided among its transactions.
//
// # Checks
//
// At the end of each account report the reader checks that the opening
// booked balance (OPBD, else PRCD) plus the booked entries gives the closing
// booked balance (CLBD), and that the entries agree with TxsSummry. A
// mismatch, and other departures from the message definition (a statement
// without balances, an entry status in the form of another version), is a
// warning of the file; with parsers.Options.Strict it refuses the file,
// naming the element and both values. Malformed XML, a wrong amount,
// currency, date or indicator, and an entry without amount or direction
// refuse the file in either mode, with line and column. With Strict, a
// 001.08 message is also checked against the message model of
// github.com/moov-io/iso20022 once it has been read (see schema.go); that
// check holds the file in memory, so it is limited to 256 MiB.
//
// # Reading
//
// The reader streams: it holds one entry at a time, so memory does not grow
// with the file (BENCHMARKS.md: a 1 GB statement in under 5 MB of heap). It
// tokenizes XML itself (scanner.go): about five times faster than
// encoding/xml's tokenizer alone, with the line and column of every token.
// github.com/muktihari/xmltokenizer is fast too, but reports no positions,
// does not check that end tags match, and ends a tag at a '>' inside a
// quoted attribute value.
package camt
