// Package ach reads NACHA ACH files into engine.Payment values, one per
// entry detail record, with the remittance the entries carry.
//
// A NACHA file is a sequence of 94-character records, each starting with
// its record type:
//
//	1 file header
//	5 batch header     (company name and id, SEC code, effective date)
//	6 entry detail     (transaction code, receiver account, amount, trace number)
//	7 addenda          (05 payment-related information, 98 notification of
//	                    change, 99 return, 10-18 international)
//	8 batch control    (entry/addenda count, entry hash, debit and credit totals)
//	9 file control     (the same for the whole file), then 9999... filler
//
// What an entry becomes:
//   - A payment: amount from cents, direction from the transaction code
//     (codes ending 1-4 credit the receiver, 5-9 debit), value date the
//     effective entry date, booking date the settlement day the ACH operator
//     wrote, bank reference the trace number, payer the batch's company.
//     Prenotes and zero-dollar entries are Informational.
//   - CCD+, PPD+ and others: the addenda 05 text is the remittance, and the
//     X12 segments it holds (RMR, REF) become references.
//   - CTX: the payment-related information of the addenda, joined in
//     sequence order, is an X12 820 read by package x12; each RMR becomes a
//     reference with its amounts. A remittance that does not add up to the
//     entry is kept, and the payment carries a warning. A CTX whose addenda
//     carry ISO 20022 XML instead has its RmtInf read the same way.
//   - Returns (addenda 99): status Return, OriginalRef the returned entry's
//     trace number, ReturnReason the R code.
//   - Notifications of change (addenda 98): status Informational,
//     ReturnReason the C code, the corrected data as references.
//   - IAT: the payer is the originator of addenda 11 and its bank that of
//     addenda 13; the currency is the batch's ISO destination currency.
//
// Invariants. A file is refused with a *parsers.ParseError, in every mode,
// when its records are out of order, when it ends before its file control,
// or when a batch control or the file control does not add up. The reader
// reads files with CRLF or no line breaks at all, lines whose trailing
// blanks were stripped and files without filler; the departures from the
// NACHA rules are warnings (Reader.Warnings for the file, Payment.Warnings
// for an entry), or refusals with parsers.Options.Strict. The NACHA rules
// for each record and batch are those of github.com/moov-io/ach, whose
// ValidateOpts state what the lenient mode expects to meet.
package ach
