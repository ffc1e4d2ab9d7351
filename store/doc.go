// Package store persists cash application in a Pebble database: invoices and
// customers, statements, payments and their decisions. It implements the
// storage interfaces that package engine declares.
//
// Every key begins with the legal entity (see keys.go), so one store serves
// several entities. Every value is encoded with a leading format version
// byte, so a later release can read an older store. Writes that belong
// together go in one synced batch: a crash leaves all of a batch or none.
package store
