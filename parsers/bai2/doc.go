// Package bai2 reads BAI2 cash-management balance reporting files into
// engine.Payment values, one per 16 (transaction detail) record.
//
// A BAI2 file is a sequence of comma-separated records, each ending with "/":
//
//	01 file header        02 group header (as-of date)   03 account identifier
//	16 transaction detail 88 continuation                49 account trailer
//	98 group trailer      99 file trailer
//
// An 88 record continues the record before it; for a 16 it carries more of
// the free text.
package bai2
