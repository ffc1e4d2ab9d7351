package store

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cockroachdb/pebble/v2"
)

// importChunk is how many invoices one synced batch of an import holds.
const importChunk = 10000

// ImportResult says what an invoice import did.
type ImportResult struct {
	New     int // invoices stored for the first time
	Updated int // invoices already stored whose ERP data was updated
	// Warnings name invoices whose amounts in the file disagree with the
	// store; the store's amounts were kept.
	Warnings []string
}

// maxImportWarnings caps the warnings an import returns.
const maxImportWarnings = 100

// ImportInvoices stores the ERP's invoices, in synced batches of importChunk
// invoices, each audited. A new invoice is stored with its open amount as
// its opening open amount. An invoice already stored gets the ERP's data
// (customer name, dates, terms, PO number, accounts) and, when no cash was
// applied to it here, its amounts; when cash was, its amounts are kept and
// a warning says so, because the store's open amount accounts for cash the
// ERP may not have seen yet. Invoices and customers named by the file are created
// as needed; a customer's bank accounts from the file are added to it.
func (s *Store) ImportInvoices(ctx context.Context, entity engine.EntityID, invs []engine.Invoice,
	actor string) (ImportResult, error) {
	var res ImportResult
	for _, inv := range invs {
		if err := checkInvoice(inv); err != nil {
			return res, err
		}
	}
	for chunk := range slices.Chunk(invs, importChunk) {
		if err := s.importChunk(ctx, entity, chunk, actor, &res); err != nil {
			return res, err
		}
	}
	return res, nil
}

// PutInvoices imports invoices as ImportInvoices does, audited as the
// "import" actor.
func (s *Store) PutInvoices(ctx context.Context, entity engine.EntityID, invs []engine.Invoice) error {
	_, err := s.ImportInvoices(ctx, entity, invs, "import")
	return err
}

func checkInvoice(inv engine.Invoice) error {
	if err := checkID("invoice ID", string(inv.ID)); err != nil {
		return err
	}
	if err := checkID("customer ID", string(inv.Customer)); err != nil {
		return fmt.Errorf("invoice %s: %w", inv.ID, err)
	}
	if inv.Amount.Currency == "" || inv.Open.Currency != inv.Amount.Currency {
		return fmt.Errorf("store: invoice %s: amount in %q, open amount in %q",
			inv.ID, inv.Amount.Currency, inv.Open.Currency)
	}
	if !withinInvoice(inv.Open, inv.Amount) {
		return fmt.Errorf("store: invoice %s: open amount %s is not between zero and the amount %s",
			inv.ID, inv.Open, inv.Amount)
	}
	return nil
}

// withinInvoice reports whether open lies between zero and the invoice's
// original amount, whatever its sign.
func withinInvoice(open, amount engine.Amount) bool {
	if open.IsZero() {
		return true
	}
	if open.Sign() != amount.Sign() {
		return false
	}
	return open.Abs().Cmp(amount.Abs()) <= 0
}

func (s *Store) importChunk(ctx context.Context, entity engine.EntityID, invs []engine.Invoice,
	actor string, res *ImportResult) error {
	e, unlock, err := s.lockEntity(entity)
	if err != nil {
		return err
	}
	defer unlock()
	t := s.begin(entity, e, actor)
	defer t.abort()
	audit := &Audit{Action: ActionImport}
	ids := make([]string, len(invs))
	for i, inv := range invs {
		ids[i] = string(inv.ID)
	}
	missing, err := t.preload(ctx, ids)
	if err != nil {
		return err
	}
	for _, inv := range invs {
		var c *change[Invoice]
		var err error
		if missing[inv.ID] {
			err = ErrNotFound
			delete(missing, inv.ID) // a second row of the same invoice updates the first
		} else {
			c, err = t.invoice(inv.ID)
		}
		switch {
		case errors.Is(err, ErrNotFound):
			c = &change[Invoice]{cur: &Invoice{Invoice: inv, Opening: inv.Open}}
			res.New++
			audit.Invoices = append(audit.Invoices, InvoiceChange{Invoice: inv.ID, Customer: inv.Customer,
				Amount: inv.Amount, New: true, After: inv.Open})
		case err != nil:
			return err
		default:
			cur := c.cur
			if cur.Customer != inv.Customer {
				return fmt.Errorf("store: invoice %s belongs to customer %s, the file says %s",
					inv.ID, cur.Customer, inv.Customer)
			}
			before := cur.Open
			if !cur.Amount.Equal(inv.Amount) || !cur.Open.Equal(inv.Open) {
				applied, err := t.hasEntries(inv.ID)
				if err != nil {
					return err
				}
				if !applied {
					// Nothing was applied here: the ERP's amounts stand.
					cur.Amount, cur.Opening, cur.Open = inv.Amount, inv.Open, inv.Open
				} else if len(res.Warnings) < maxImportWarnings {
					res.Warnings = append(res.Warnings, fmt.Sprintf("invoice %s: the file says %s %s open of %s; "+
						"cash was applied to it here, so its amounts stay %s open of %s", inv.ID, inv.Open,
						inv.Open.Currency, inv.Amount, cur.Open, cur.Amount))
				}
			}
			cur.CustomerName, cur.IssueDate, cur.DueDate = inv.CustomerName, inv.IssueDate, inv.DueDate
			cur.Terms, cur.PONumber, cur.CustomerAccounts = inv.Terms, inv.PONumber, inv.CustomerAccounts
			res.Updated++
			audit.Invoices = append(audit.Invoices, InvoiceChange{Invoice: inv.ID, Customer: inv.Customer,
				Amount: cur.Amount, Before: before, After: cur.Open})
		}
		if c.orig == nil {
			if err := t.b.Set(customerInvoiceKey(entity, inv.Customer, inv.ID), nil, nil); err != nil {
				return err
			}
		}
		t.putInvoice(c)
		if err := t.importCustomer(inv); err != nil {
			return err
		}
	}
	if err := t.addAudit(audit); err != nil {
		return err
	}
	return t.commit(ctx)
}

// hasEntries reports whether any ledger entry names the invoice.
func (t *txn) hasEntries(id engine.InvoiceID) (bool, error) {
	p := append(key(t.id, tableInvoiceLog, string(id)), 0)
	it, err := t.s.db.NewIter(&pebble.IterOptions{LowerBound: p, UpperBound: upperBound(p)})
	if err != nil {
		return false, err
	}
	defer it.Close()
	return it.First(), it.Error()
}

// importCustomer creates or updates the customer an imported invoice names.
func (t *txn) importCustomer(inv engine.Invoice) error {
	c, err := t.customer(inv.Customer)
	if err != nil {
		return err
	}
	changed := c.orig == nil
	if inv.CustomerName != "" && c.cur.Name != inv.CustomerName {
		c.cur.Name, changed = inv.CustomerName, true
	}
	for _, a := range inv.CustomerAccounts {
		if a != "" && !slices.Contains(c.cur.Accounts, a) {
			c.cur.Accounts, changed = append(slices.Clone(c.cur.Accounts), a), true
		}
	}
	if changed {
		t.putCustomer(c)
	}
	return nil
}

func customerInvoiceKey(entity engine.EntityID, c engine.CustomerID, inv engine.InvoiceID) []byte {
	k := key(entity, tableCustomerInv, string(c))
	k = append(k, 0)
	return append(k, inv...)
}

// Book returns a snapshot of the entity's invoices and customers, read from
// one consistent view of the store.
func (s *Store) Book(ctx context.Context, entity engine.EntityID) (*engine.Book, error) {
	if err := checkID("entity", string(entity)); err != nil {
		return nil, err
	}
	snap := s.db.NewSnapshot()
	defer snap.Close()
	var invs []engine.Invoice
	err := scanTable(ctx, snap, entity, tableInvoice, func(_, v []byte) error {
		inv, err := decodeInvoice(v)
		if err != nil {
			return err
		}
		invs = append(invs, inv.Invoice)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read invoices of %s: %w", entity, err)
	}
	var customers []engine.Customer
	err = scanTable(ctx, snap, entity, tableCustomer, func(_, v []byte) error {
		var r customerRecord
		if err := decodeJSON("customer", v, &r); err != nil {
			return err
		}
		customers = append(customers, r.customer())
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read customers of %s: %w", entity, err)
	}
	book := engine.NewBook(invs, customers)
	if err := s.rememberRecent(ctx, snap, entity, book); err != nil {
		return nil, fmt.Errorf("read recent payments of %s: %w", entity, err)
	}
	return book, nil
}

// rememberRecent hands the latest decided payments to the book, oldest
// first, each with the customer and the invoices its cash is applied to now.
func (s *Store) rememberRecent(ctx context.Context, snap *pebble.Snapshot, entity engine.EntityID, book *engine.Book) error {
	if s.remember < 0 {
		return nil
	}
	var meta entityMeta
	b, closer, err := snap.Get(prefix(entity, tableMeta))
	if errors.Is(err, pebble.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	err = decodeJSON("entity meta", b, &meta)
	closer.Close()
	if err != nil {
		return err
	}
	first := uint64(1)
	if meta.Decided > uint64(s.remember) {
		first = meta.Decided - uint64(s.remember) + 1
	}
	it, err := snap.NewIterWithContext(ctx, &pebble.IterOptions{
		LowerBound: seqKey(entity, tableApplication, first), UpperBound: seqKey(entity, tableApplication, meta.Decided+1)})
	if err != nil {
		return err
	}
	defer it.Close()
	for it.First(); it.Valid(); it.Next() {
		seq := seqOf(it.Key())
		a, err := decodeApplication(seq, it.Value())
		if err != nil {
			return fmt.Errorf("payment %d: %w", seq, err)
		}
		pb, closer, err := snap.Get(seqKey(entity, tablePayment, seq))
		if err != nil {
			return fmt.Errorf("payment %d: %w", seq, err)
		}
		p, err := decodePayment(seq, pb)
		closer.Close()
		if err != nil {
			return fmt.Errorf("payment %d: %w", seq, err)
		}
		d := engine.Decision{Payment: p.ID, Kind: a.Kind, Customer: a.Customer}
		applied := map[engine.InvoiceID]engine.Amount{}
		var order []engine.InvoiceID
		for _, eseq := range a.Entries {
			eb, closer, err := snap.Get(seqKey(entity, tableEntry, eseq))
			if err != nil {
				return fmt.Errorf("entry %d: %w", eseq, err)
			}
			en, err := decodeEntry(eseq, eb)
			closer.Close()
			if err != nil {
				return err
			}
			if en.Kind != EntryAllocation {
				continue
			}
			sum, ok := applied[en.Invoice]
			if !ok {
				sum, order = engine.Zero(en.Amount.Currency), append(order, en.Invoice)
			}
			applied[en.Invoice] = sum.Add(en.Amount)
		}
		for _, inv := range order {
			if !applied[inv].IsZero() {
				d.Allocations = append(d.Allocations, engine.Allocation{Invoice: inv, Amount: applied[inv]})
			}
		}
		book.Remember(p, d)
	}
	return it.Error()
}

// reader is what scans read from: the database or a snapshot of it.
type reader interface {
	NewIterWithContext(ctx context.Context, o *pebble.IterOptions) (*pebble.Iterator, error)
}

// scanTable calls fn with the key suffix and value of every record of a
// table, in key order, until fn returns an error.
func scanTable(ctx context.Context, r reader, entity engine.EntityID, table byte, fn func(k, v []byte) error) error {
	p := prefix(entity, table)
	it, err := r.NewIterWithContext(ctx, &pebble.IterOptions{LowerBound: p, UpperBound: upperBound(p)})
	if err != nil {
		return err
	}
	defer it.Close()
	for it.First(); it.Valid(); it.Next() {
		if err := fn(it.Key()[len(p):], it.Value()); err != nil {
			return fmt.Errorf("key %q: %w", it.Key(), err)
		}
	}
	return it.Error()
}

// Invoice returns a stored invoice, or ErrNotFound.
func (s *Store) Invoice(ctx context.Context, entity engine.EntityID, id engine.InvoiceID) (Invoice, error) {
	b, err := s.getRaw(key(entity, tableInvoice, string(id)))
	if err != nil {
		return Invoice{}, fmt.Errorf("invoice %s: %w", id, err)
	}
	return decodeInvoice(b)
}

// InvoiceFilter selects invoices. The zero value lists all, 100 at a time.
type InvoiceFilter struct {
	Customer engine.CustomerID // "": any
	OpenOnly bool              // only invoices with an open amount
	After    engine.InvoiceID  // continue after this invoice ID
	Limit    int               // zero means 100; at most MaxPage
}

// Invoices lists invoices in invoice ID order. With a customer, it walks the
// customer's invoices only.
func (s *Store) Invoices(ctx context.Context, entity engine.EntityID, f InvoiceFilter) ([]Invoice, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	f.Limit = min(f.Limit, MaxPage)
	var p []byte
	if f.Customer != "" {
		p = append(key(entity, tableCustomerInv, string(f.Customer)), 0)
	} else {
		p = prefix(entity, tableInvoice)
	}
	lower := p
	if f.After != "" {
		lower = append(append(slices.Clone(p), f.After...), 0)
	}
	it, err := s.db.NewIterWithContext(ctx, &pebble.IterOptions{LowerBound: lower, UpperBound: upperBound(p)})
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var out []Invoice
	for it.First(); it.Valid() && len(out) < f.Limit; it.Next() {
		var inv Invoice
		if f.Customer != "" {
			inv, err = s.Invoice(ctx, entity, engine.InvoiceID(it.Key()[len(p):]))
		} else {
			inv, err = decodeInvoice(it.Value())
		}
		if err != nil {
			return nil, err
		}
		if f.OpenOnly && inv.Open.IsZero() {
			continue
		}
		out = append(out, inv)
	}
	return out, it.Error()
}

// InvoiceEntries returns the ledger entries against an invoice, in order:
// its history since it was imported.
func (s *Store) InvoiceEntries(ctx context.Context, entity engine.EntityID, id engine.InvoiceID) ([]Entry, error) {
	p := append(key(entity, tableInvoiceLog, string(id)), 0)
	it, err := s.db.NewIterWithContext(ctx, &pebble.IterOptions{LowerBound: p, UpperBound: upperBound(p)})
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var out []Entry
	for it.First(); it.Valid(); it.Next() {
		en, err := s.entry(entity, seqOf(it.Key()))
		if err != nil {
			return nil, err
		}
		out = append(out, en)
	}
	return out, it.Error()
}

// Customer returns a customer with its learned aliases and accounts, or
// ErrNotFound.
func (s *Store) Customer(ctx context.Context, entity engine.EntityID, id engine.CustomerID) (engine.Customer, error) {
	var r customerRecord
	if err := s.getJSON("customer", key(entity, tableCustomer, string(id)), &r); err != nil {
		return engine.Customer{}, fmt.Errorf("customer %s: %w", id, err)
	}
	return r.customer(), nil
}

// EachInvoice calls fn for the entity's invoices in ID order, starting after
// the given ID ("" for the first), until fn returns false.
func (s *Store) EachInvoice(ctx context.Context, entity engine.EntityID, after engine.InvoiceID,
	fn func(engine.Invoice) bool) error {
	p := prefix(entity, tableInvoice)
	lower := p
	if after != "" {
		lower = append(append(slices.Clone(p), after...), 0)
	}
	it, err := s.db.NewIterWithContext(ctx, &pebble.IterOptions{LowerBound: lower, UpperBound: upperBound(p)})
	if err != nil {
		return err
	}
	defer it.Close()
	for it.First(); it.Valid(); it.Next() {
		inv, err := decodeInvoice(it.Value())
		if err != nil {
			return fmt.Errorf("invoice %q: %w", it.Key()[len(p):], err)
		}
		if !fn(inv.Invoice) {
			break
		}
	}
	return it.Error()
}
