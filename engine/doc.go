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
//     open amount.
//   - Allocation: the part of a payment applied to one invoice.
//   - Adjustment: a difference written off against an invoice for a stated
//     reason (bank fee, early-payment discount, rounding).
//   - On account: cash from a known customer not applied to any invoice.
//   - Exception: a payment the engine did not fully apply, with a Reason and
//     ranked suggestions for a specialist.
//
// # Invariants
//
// Money is conserved. For every decision, the allocations plus the
// adjustments plus the amount left on account equal the payment amount, in the
// payment's currency; Decision.Check verifies it. An invoice's open amount
// never drops below zero, and no two decisions consume the same open amount.
//
// Money is decimal (github.com/shopspring/decimal) at every boundary; hot loops
// may convert to int64 minor units, exactly and checked. There is no float
// anywhere in the model.
//
// The engine imports no other package of this module: parsers produce
// Payments, the store persists what the engine decides, and cmd wires them.
package engine
