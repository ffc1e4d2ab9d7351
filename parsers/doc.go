// Package parsers holds what the bank-file readers share: the Reader
// interface, ParseError, reading Options and format detection.
//
// Each format has its own package (parsers/bai2, parsers/camt, parsers/ach)
// that streams a file into engine.Payment values; parsers/bankfile picks the
// right one for a file. A format package never imports another.
package parsers
