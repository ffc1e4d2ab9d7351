// Package bench generates large statement sets with ground truth and
// measures cashmatch on them: how fast each stage runs, how much memory the
// whole job takes, and how many payments the engine applies correctly
// without a person.
//
// Two workloads follow the Config-and-Run pattern: Generate writes a set
// from a GenConfig, and Run measures the real pipeline (parse, match,
// persist in Pebble with synced batches) on a set from a Config.
//
// # A generated set
//
// A folder holding:
//
//	invoices.csv            the ERP's open items, in the columns of the
//	                        invoice import: invoices, credit notes (negative),
//	                        partially paid and already paid items, terms,
//	                        PO numbers, known payer accounts, five currencies
//	YYYY-MM-DD.ach          NACHA: CCD+ credits with an RMR or free-text
//	                        addenda, CTX credits carrying an X12 820, returns
//	YYYY-MM-DD.bai2         BAI2: one group, a USD and a CAD account, funds
//	                        types 0, 1, 2, Z, V, S and D, text in 88 records
//	YYYY-MM-DD.camt053.xml  camt.053.001.08: a statement per account (EUR,
//	                        GBP, USD, JPY), single and batch entries,
//	                        structured (documents, amounts, RF references) and
//	                        unstructured remittance
//	truth.json              the correct decision for every payment
//
// One statement day per GenConfig.PaymentsPerDay payments. The files are
// meant to be read in name order: a duplicate follows its original and a
// return its original payment in that order. Trailers, controls, hashes,
// balances and transaction summaries agree with the content; the tests read
// every file with moov-io/bai2, moov-io/ach and moov-io/iso20022 and with
// the project's own readers.
//
// Generation is deterministic: the same GenConfig writes the same bytes. It
// streams: memory holds the invoices and one day's payments, so the number
// of days (and of payments) is bounded only by disk.
//
// # truth.json
//
// One JSON object:
//
//	{"payments": [ TRUTH, ... ],
//	 "generator": "cashmatch gen",
//	 "set": {"seed": 1, "customers": 200, "invoices": 2000, "payments": 1000,
//	         "start": "2026-11-02"},
//	 "files": [{"name": "2026-11-02.ach", "format": "ach", "bytes": 79800,
//	            "payments": 236, "totals": {"USD": "6719813.00"}}, ...],
//	 "kinds": {"exact": 300, ...}}
//
// The payments come first, in the order the files are read and, within a
// file, the order of the file; ReadTruth streams them. Each TRUTH is:
//
//	file         the bank file's name
//	ref          the payment's identity in that file, as the file writes it:
//	             the BAI2 bank reference (16 record), the ACH trace number
//	             (entry detail), the camt EndToEndId (TxDtls/Refs); unique
//	             within the file. A reader's Payment.BankRef or
//	             Payment.EndToEndID holds it.
//	bank_ref     for camt, the transaction's AcctSvcrRef
//	format       bai2, camt.053 or ach
//	kind         what the payment is (see PaymentKind): exact, dropped_prefix,
//	             dropped_zeros, typo, wrapped, multi_invoice, credit_netted,
//	             no_remittance, combined, partial, short_pay, short_pay_fee,
//	             discount, overpay, duplicate, already_paid, non_receivable,
//	             unknown_payer, on_behalf, return, advance
//	currency     ISO 4217 code
//	amount       positive decimal string with the currency's minor digits
//	customer     the customer whose money it is, when there is one
//	expect       "apply" or "exception"
//	allocations  for apply: [{"invoice_id", "amount"}], the cash applied to
//	             each invoice; negative against a credit note
//	adjustments  for apply: [{"invoice_id", "amount", "reason"}], invoice
//	             reductions beyond the cash: "bank_fee" or "discount"
//	on_account   for apply: cash from the customer left on account
//	exception    for exception: the engine.Reason name it should raise:
//	             amount_mismatch, duplicate_suspect, already_paid,
//	             not_receivable, unidentified_payer, returned, no_open_items
//	original     for duplicate and return: the ref of the payment it copies
//	             or undoes (for a return, that payment's trace number in an
//	             earlier file)
//
// The rules of engine.Decision hold: allocations plus on_account equal the
// amount; adjustments are not part of it. No invoice is allocated and
// adjusted beyond its open amount in invoices.csv over the whole set.
//
// # Quality
//
// Run joins each decided payment to its truth by file and reference. An
// auto decision is correct when its allocations (invoice and amount), its
// adjustments (invoice, amount and reason) and its on-account amount are
// those of the truth and the truth expects apply; any other auto decision
// is a false auto-application. Precision is correct auto decisions over all
// auto decisions; the automation rate is auto decisions over payments.
package bench
