package engine

import "time"

// Statement is one bank file as received: its identity, where it came from
// and what reading it found.
type Statement struct {
	ID       StatementID
	Entity   EntityID
	Source   string // the file name as uploaded
	Format   Format
	Size     int64
	Received time.Time
	Payments int
	// ReceivedBy names who sent the file, for the audit log; empty when the
	// engine read it on its own.
	ReceivedBy string
	// Warnings are the departures from the format that the reader tolerated
	// for the file as a whole (a trailer total computed another way, a
	// missing filler block).
	Warnings []string
}
