// Package store keeps cash application durably in one Pebble database:
// invoices with their open amounts, customers with what was learned about
// them, statements by SHA-256, payments with their sequence numbers, the
// engine's decisions, a ledger of the cash applied, exceptions with their
// status, and an append-only audit log. It implements the storage interfaces
// that package engine declares, and gives the HTTP API what it needs to list
// and resolve exceptions.
//
// # Glossary
//
//   - Entity: a legal entity (tenant). Every key begins with it (keys.go), so
//     one store serves several entities and nothing is shared between them.
//   - Sequence number: each payment of an entity is numbered once, when its
//     statement is stored. The engine decides payments in that order; the
//     entity's decided-up-to cursor moves in the same synced batch as the
//     decisions, so a restarted process resumes where the last one stopped.
//   - Ledger entry: an allocation of cash to an invoice, an adjustment of an
//     invoice, cash held on account or set aside as not a receivable. Entries
//     are never changed; a reversal is a new entry naming the one it undoes.
//   - Version: payments (with their exceptions) and invoices carry a version
//     that grows with every change. A change made on a stale version is
//     refused with ErrConflict.
//
// # Invariants
//
// Check verifies them all on a store:
//
//   - For every decided payment, applied plus on account plus not a
//     receivable plus unapplied equals its amount, each the sum of the
//     payment's ledger entries of that kind, none below zero but applied
//     cash (a credit note netted).
//   - For every invoice, the opening open amount minus its ledger entries
//     equals its open amount, which lies between zero and the original
//     amount.
//   - Payments are numbered without gaps; those up to the decided cursor
//     have a decision and those after it none.
//   - Every index entry points to its record and every record has its index
//     entries.
//   - The audit log replays, from an empty store, to the current state.
//
// # Durability
//
// Every write that changes what a reader can see goes in one synced batch:
// a crash leaves all of it or none. Writes are serialized per entity, so
// two changes based on the same version cannot both win. The folder is
// locked: a second process that opens it gets ErrLocked.
package store
