package store

import (
	"github.com/cashmatch/cashmatch/engine"
)

// Key layout. Every key is
//
//	entity 0x00 table 0x00 id
//
// where entity is the legal entity, table one byte naming the kind of record
// and id the record's own identifier. Identifiers may hold any byte but 0x00.
//
//	table 'i'  invoice         id = invoice ID
//	table 'c'  customer        id = customer ID
//	table 's'  statement       id = SHA-256 hex of the file
//	table 'p'  payment         id = payment ID; value holds the decision
const (
	tableInvoice   byte = 'i'
	tableCustomer  byte = 'c'
	tableStatement byte = 's'
	tablePayment   byte = 'p'
)

func key(entity engine.EntityID, table byte, id string) []byte {
	k := make([]byte, 0, len(entity)+len(id)+3)
	k = append(k, entity...)
	k = append(k, 0, table, 0)
	return append(k, id...)
}

// tableBounds returns the key range holding every record of a table.
func tableBounds(entity engine.EntityID, table byte) (lower, upper []byte) {
	lower = key(entity, table, "")
	upper = append([]byte(nil), lower...)
	upper[len(upper)-1] = 1
	return lower, upper
}
