// Package engine is the core of cashmatch: the domain types of cash
// application and the matching pipeline that decides what each incoming
// payment pays.
//
// # Glossary
//
//   - Statement: one bank file, identified by the SHA-256 of its bytes.
//   - Payment: one incoming credit (or a debit, return or reversal) read from
//     a statement, with the payer's remittance.
//   - Invoice (open item): a receivable from the ERP with its original and
//     open amount; a credit note has negative amounts.
//   - Book: a snapshot of one entity's open items, customers (with learned
//     names and accounts) and recently decided payments.
//   - Allocation: the part of a payment applied to one invoice.
//   - Adjustment: a difference written off against an invoice for a stated
//     reason (bank fee, early-payment discount, rounding).
//   - On account: cash from a known customer not applied to any invoice.
//   - Exception: a payment the engine did not fully apply, with a Reason and
//     ranked suggestions for a specialist.
//
// # Invariants
//
// Money is conserved. For every decision, the allocations plus the amount
// left on account plus the amount unapplied equal the payment amount, in the
// payment's currency; Decision.Check verifies it. Adjustments reduce
// invoices beyond the cash and are not part of that sum. An invoice's open
// amount never leaves the range between zero and its amount, and no two
// decisions consume the same open amount.
//
// Money is decimal (github.com/shopspring/decimal) at every boundary; the
// Book and the matcher's hot loops hold int64 minor units, converted exactly
// and checked. Similarities and confidences are integers in thousandths.
// There is no float anywhere in the package.
//
// # Matching
//
// A Matcher decides an ordered list of payments against a Book; see
// Matcher.DecideAll for the steps and their order, which make the result
// the same for any number of workers. For each payment it finds the
// invoices the remittance names (structured references, ISO 11649 creditor
// references, free text however the bank mangled it), identifies the payer
// (by those invoices, a customer number, the payer's account, or its name
// compared fuzzily through a trigram index), gathers candidate allocations
// (as named, a combination of the customer's open items, one open item with
// the amount) and scores each from named features into a confidence with
// reasons a specialist reads.
//
// Each decision is one of:
//
//   - Auto: applied; allocations and adjustments reduce the invoices, any
//     excess is on account. The best candidate reached the auto threshold,
//     has no flaw, and no different candidate scores alike.
//   - Suggested: nothing applied; the best candidate allocates cash but is
//     not sure enough (Exception says why: low_confidence, amount_mismatch).
//   - Exception: nothing applied, with the reason: unidentified_payer,
//     no_open_items, amount_mismatch, ambiguous (two candidates alike, both
//     suggested), low_confidence, duplicate_suspect (a payment seen before),
//     currency_mismatch, already_paid, returned (an ACH return or bank
//     reversal, naming the payment it undoes where found), not_receivable (a
//     credit that is not a customer paying: interest, sweeps and transfers
//     by bank type code, or refunds, rebates and the like by their words when
//     no invoice or customer is named).
//   - Skipped: not a payment to decide: a debit, a pending entry (decided
//     when the bank books it) or an informational record. Nobody needs to
//     act on it.
//
// The engine imports no other package of this module: parsers produce
// Payments, the store persists what the engine decides, and cmd wires them.
package engine
