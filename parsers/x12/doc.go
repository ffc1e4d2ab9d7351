// Package x12 reads the X12 remittance that travels inside NACHA files: the
// segments of a CCD+ addenda and the 820 Payment Order/Remittance Advice of a
// CTX entry.
//
// An X12 stream is a sequence of segments. Each segment starts with an ID of
// two or three letters and digits and holds data elements separated by the
// element separator; a segment terminator ends it:
//
//	ISA*00*          *00*          *ZZ*PAYER          *ZZ*PAYEE          *260317*1200*U*00401*000000001*0*P*>~
//	ST*820*0001~
//	BPR*C*1000.00*C*ACH*CTX*01*121042882*DA*123456789*1234567890**01*231380104*DA*987654321*20260318~
//	TRN*1*REASSOC-1~
//	N1*PR*ACME CORPORATION~
//	ENT*1~
//	RMR*IV*INV-1001**600.00*600.00~
//	RMR*IV*INV-1002**400.00*420.00*20.00~
//	SE*8*0001~
//
// The ISA interchange header has fixed-width elements, so its fourth
// character is the element separator, its sixteenth element the component
// separator and the character after that the segment terminator. A stream
// without an ISA, such as a single RMR segment in a CCD+ addenda, uses the
// character after its first segment ID as the element separator and the
// first '~', '\' or newline as the segment terminator.
//
// Parsing is lenient: a malformed segment is reported in the returned error
// and skipped, and every other segment is still read, because a remittance
// is worth keeping even when part of it is damaged.
package x12
