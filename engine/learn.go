package engine

import (
	"fmt"
	"slices"
)

// Lesson is what a specialist's resolution teaches the engine: that a payer
// name or a bank account belongs to a customer. A store persists it in the
// customer's Aliases and Accounts; a Matcher built over a book that learned
// it identifies the payer by itself.
type Lesson struct {
	Customer CustomerID
	// Alias is a name the customer pays under, or "" when its name or a
	// known alias already says so.
	Alias string
	// Account is a bank account the customer pays from, or "" when it is
	// already on file.
	Account string
}

// IsZero reports whether the lesson teaches nothing.
func (l Lesson) IsZero() bool { return l.Alias == "" && l.Account == "" }

// LessonFrom returns what to learn when a specialist resolves payment p as
// paid by customer c (applied to c's invoices or put on c's account). When
// p names an ultimate payer, that is the name learned, and the account,
// which belongs to whoever paid on the customer's behalf, is not. ok is
// false when there is nothing new to learn.
func LessonFrom(b *Book, p Payment, c CustomerID) (Lesson, bool) {
	i, found := b.custByID[c]
	if !found {
		return Lesson{}, false
	}
	cu := &b.custs[i].c
	l := Lesson{Customer: c}
	name := p.PayerName
	if p.UltimatePayer != "" {
		name = p.UltimatePayer
	}
	if name != "" && !knownName(cu, name) {
		l.Alias = name
	}
	if p.PayerAccount != "" && p.UltimatePayer == "" && !knownAccount(cu, p.PayerAccount) {
		l.Account = p.PayerAccount
	}
	return l, !l.IsZero()
}

// knownName reports whether name, normalized, is the customer's name or
// one of its aliases.
func knownName(c *Customer, name string) bool {
	q := newNameForm(name, true)
	if q.compact == "" {
		return true
	}
	for _, n := range append([]string{c.Name}, c.Aliases...) {
		if f := newNameForm(n, false); f.compact == q.compact {
			return true
		}
	}
	return false
}

func knownAccount(c *Customer, account string) bool {
	k := string(accountKey(nil, account))
	return k == "" || slices.ContainsFunc(c.Accounts, func(a string) bool { return string(accountKey(nil, a)) == k })
}

// Learn records a lesson in the book: the alias and account join the
// customer's. A Matcher built afterwards uses them.
func (b *Book) Learn(l Lesson) error {
	i, ok := b.custByID[l.Customer]
	if !ok {
		return fmt.Errorf("learn: unknown customer %s", l.Customer)
	}
	cu := &b.custs[i].c
	if l.Alias != "" && !knownName(cu, l.Alias) {
		cu.Aliases = append(cu.Aliases, l.Alias)
	}
	if l.Account != "" && !knownAccount(cu, l.Account) {
		cu.Accounts = append(cu.Accounts, l.Account)
	}
	return nil
}
