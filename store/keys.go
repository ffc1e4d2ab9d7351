package store

import (
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/cashmatch/cashmatch/engine"
)

// Key layout.
//
// Every key of an entity's records begins with the entity (tenant) and a
// 0x00, then one byte naming the table, then the record's own key:
//
//	entity 0x00 table rest
//
// so that an entity's records sit together and a later deployment can shard
// by entity. Entity, invoice, customer and payment IDs may hold any byte but
// 0x00; the store refuses IDs that hold one. Sequence numbers are 8-byte
// big-endian, so keys sort in sequence order.
//
//	table  rest                                       value
//	'M'    (none)                                     entityMeta: cursors, counters, totals
//	'i'    invoice ID                                 invoiceRecord: original, opening and open amount
//	'c'    customer ID                                customerRecord: name, learned aliases and accounts
//	'k'    customer ID 0 invoice ID                   (empty): a customer's invoices
//	's'    statement ID (SHA-256 hex)                 statementRecord: source, counts, outcome
//	'o'    statement seq                              statement ID, in the order received
//	'p'    payment seq                                paymentRecord: the payment as read; never changed
//	'a'    payment seq                                applicationRecord: decision and what is applied now
//	'n'    payment ID                                 payment seq
//	'r'    account 0 bank ref 0 currency 0 amount 0   (empty): finds a payment repeated by a
//	       value date 0 direction 0 payment seq       corrected statement
//	'l'    entry seq                                  entryRecord: one ledger entry; never changed
//	'v'    invoice ID 0 entry seq                     (empty): an invoice's entries
//	'x'    payment seq                                exceptionRecord
//	'X'    exception index (see below)                (empty)
//	'u'    audit seq                                  auditRecord; never changed
//
// Exception indexes, all under 'X' and led by one byte naming the index and
// one byte of exception status, end in an 8-byte order value and the 8-byte
// payment seq (see exceptionIndexKeys):
//
//	'a' status created                   by age
//	'm' status amount                    by amount
//	'r' status reason created            by reason, then age
//	'c' status customer 0 created        by customer, then age
//	'w' status assignee 0 created        by assignee ("" is unassigned), then age
//
// Keys that begin with 0x00 belong to no entity:
//
//	0x00 'E' entity                      (empty): the entities the store holds
//
// A payment with a seq above the entity's ingested cursor, and any 'n' or 'r'
// key pointing to one, is left over from a statement whose reading was
// interrupted; it is invisible and removed before the next statement is
// stored.
const (
	tableMeta        byte = 'M'
	tableInvoice     byte = 'i'
	tableCustomer    byte = 'c'
	tableCustomerInv byte = 'k'
	tableStatement   byte = 's'
	tableStatementNo byte = 'o'
	tablePayment     byte = 'p'
	tableApplication byte = 'a'
	tablePaymentID   byte = 'n'
	tableRepeat      byte = 'r'
	tableEntry       byte = 'l'
	tableInvoiceLog  byte = 'v'
	tableException   byte = 'x'
	tableExcIndex    byte = 'X'
	tableAudit       byte = 'u'
)

const globalEntities byte = 'E'

// prefix returns the key prefix of a table of an entity.
func prefix(entity engine.EntityID, table byte) []byte {
	k := make([]byte, 0, len(entity)+2+24)
	k = append(k, entity...)
	return append(k, 0, table)
}

func key(entity engine.EntityID, table byte, id string) []byte {
	return append(prefix(entity, table), id...)
}

func seqKey(entity engine.EntityID, table byte, seq uint64) []byte {
	return binary.BigEndian.AppendUint64(prefix(entity, table), seq)
}

func entityKey(entity engine.EntityID) []byte {
	return append([]byte{0, globalEntities}, entity...)
}

// upperBound returns the smallest key greater than every key with prefix p.
func upperBound(p []byte) []byte {
	u := append([]byte(nil), p...)
	for i := len(u) - 1; i >= 0; i-- {
		if u[i] != 0xff {
			u[i]++
			return u[:i+1]
		}
	}
	return nil
}

// seqOf returns the 8-byte sequence number that ends key k.
func seqOf(k []byte) uint64 {
	if len(k) < 8 {
		return 0
	}
	return binary.BigEndian.Uint64(k[len(k)-8:])
}

// checkID refuses an identifier that cannot be part of a key.
func checkID(what, id string) error {
	if id == "" {
		return fmt.Errorf("store: empty %s", what)
	}
	if strings.IndexByte(id, 0) >= 0 {
		return fmt.Errorf("store: %s %q holds a 0x00 byte", what, id)
	}
	return nil
}

// repeatPrefix returns the key prefix under which a payment that repeats p
// would be indexed; p.Seq completes the key. ok is false when p has no bank
// reference: such a payment cannot be told from another and is never taken
// for a repeat.
func repeatPrefix(entity engine.EntityID, p engine.Payment) (k []byte, ok bool) {
	if p.BankRef == "" {
		return nil, false
	}
	k = prefix(entity, tableRepeat)
	k = append(k, p.Account...)
	k = append(k, 0)
	k = append(k, p.BankRef...)
	k = append(k, 0)
	k = append(k, p.Amount.Currency...)
	k = append(k, 0)
	k = append(k, p.Amount.Value.String()...)
	k = append(k, 0)
	k = append(k, p.ValueDate.String()...)
	k = append(k, 0, byte(p.Direction), 0)
	return k, true
}

func invoiceLogKey(entity engine.EntityID, inv engine.InvoiceID, entry uint64) []byte {
	k := key(entity, tableInvoiceLog, string(inv))
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, entry)
}
