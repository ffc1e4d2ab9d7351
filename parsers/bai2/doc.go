// Package bai2 reads BAI2 cash-management balance reporting files into
// engine.Payment values, one per 16 (transaction detail) record, streaming:
// memory does not grow with the size of the file.
//
// # Format
//
// A BAI2 file is a sequence of comma-separated records:
//
//	01 file header        02 group header (as-of date, currency)
//	03 account identifier, with status and summary amounts
//	16 transaction detail 88 continuation
//	49 account trailer    98 group trailer    99 file trailer
//
// A record ends with "/" or at the end of its line. A 16 record's last
// field is free text that may hold commas and slashes. An 88 record
// continues the record before it, field by field: it may complete a status
// or summary entry of a 03, the fields of a 16 that stopped before its
// text, or add a line to the text. Lines end with LF, CRLF or nothing; a
// file without line breaks is cut into records of the physical record
// length its 01 record declares; several records may share a line when a
// "/" and blanks separate them. Amounts are whole numbers of minor units of
// the account's currency (JPY none, BHD three decimals), which defaults
// from the account to its group and to the reader's default (USD).
//
// # Payments
//
// Each 16 record gives a payment with its account, currency, amount,
// direction (from the type code's class in the BAI code list: credit or
// debit detail), status (returns, reversals, and non-monetary or
// informational details), booking date (the group's as-of date), value date
// (a V funds type's date, else the as-of date), type code, bank and
// customer references, text lines, and what the text makes clear: the
// payer (for credits), end-to-end id, return reason and documents paid.
// Source is "file:line" of the line where the 16 record starts.
//
// # Trailers
//
// Every 49, 98 and 99 trailer is checked: its control total (by the BAI2
// rule, the sum of every 03 and 16 amount inside) and its record count
// (88 records included), and the number of accounts or groups. Banks
// compute some totals their own way (the details alone, credits minus
// debits, without the status amounts; counts without 88 records). A trailer
// that follows such a convention is accepted with a warning when reading
// leniently (the default) and refused when strict.
//
// A trailer that matches its records in no known way is refused in strict
// reading. Lenient reading waits for the group and file trailers: when they
// count more records, accounts or groups than are present (records were
// lost), or when every count matches but a total does not (an amount was
// changed), the file is refused. Otherwise the trailers were not computed
// from these records, and the file is accepted with a warning for each
// mismatch.
//
// # Strict and lenient
//
// Strict reading refuses any departure from the specification. Lenient
// reading tolerates the departures real banks make (a line without a
// record code, a "/" in a reference, an unknown group status, a blank
// control total...) and reports each: on the payment it concerns
// (engine.Payment.Warnings) or on the file (Reader.Warnings). Both refuse a
// file that is broken: records out of order, missing trailers, a malformed
// amount, type code or currency. A refusal is a *parsers.ParseError naming
// the file, line, record and what is wrong; the payments returned before it
// must not be applied.
package bai2
