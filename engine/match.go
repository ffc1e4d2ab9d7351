package engine

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"sync/atomic"
)

// Matcher decides what payments pay against a Book and applies what it is
// sure of to the book, so that later payments see what earlier ones
// consumed. Its indexes are built from the book once, by NewMatcher; a
// customer or invoice added to the book afterwards needs a new Matcher.
// A Matcher is not safe for concurrent use; it runs its own workers.
//
// Decisions are a pure function of the book and the ordered payments: the
// same inputs give the same decisions with one worker or many. See
// DecideAll for how the work is ordered.
type Matcher struct {
	book    *Book
	opts    *Options
	nums    *numberIndex
	accts   keyIndex
	names   *nameIndex
	amounts *amountIndex
	// custNames lists the name-index entries of each customer: its name
	// first, then its aliases.
	custNames [][]int32
	// tol holds the default tolerances by currency index of the book;
	// custTol and custAuto the overrides of customers that have them.
	tol      []tolerance
	custTol  map[int32][]tolerance
	custAuto map[int32]Confidence
	// nameCache keeps name search results by payer name (see searchName).
	nameCache  sync.Map
	nameCached atomic.Int64
}

// NewMatcher returns a matcher over book. opts may be nil.
func NewMatcher(book *Book, opts *Options) (*Matcher, error) {
	o := *opts.EnsureDefaults()
	if err := o.Validate(); err != nil {
		return nil, err
	}
	m := &Matcher{book: book, opts: &o}

	// The indexes are independent: build them side by side.
	var wg sync.WaitGroup
	wg.Go(func() { m.nums = newNumberIndex(book) })
	wg.Go(func() { m.amounts = newAmountIndex(book) })
	m.accts = newAccountIndex(book)
	m.names = newNameIndex(book)
	wg.Wait()

	m.custNames = make([][]int32, len(book.custs))
	for e := range m.names.entries {
		c := m.names.entries[e].cust
		m.custNames[c] = append(m.custNames[c], int32(e))
	}
	m.resolveTolerances()
	m.fingerprintUnread()
	return m, nil
}

func (m *Matcher) resolveTolerances() {
	for _, c := range m.book.currencies {
		m.tol = append(m.tol, m.opts.Tolerances.resolve(c))
	}
	ids := make([]CustomerID, 0, len(m.opts.Customers))
	for id := range m.opts.Customers {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		c, ok := m.book.custByID[id]
		if !ok {
			continue
		}
		co := m.opts.Customers[id]
		if co.AutoThreshold != 0 {
			if m.custAuto == nil {
				m.custAuto = make(map[int32]Confidence)
			}
			m.custAuto[c] = co.AutoThreshold
		}
		t := co.Tolerances
		if t == (Tolerances{}) {
			continue
		}
		if t.BankFee.IsZero() {
			t.BankFee = m.opts.Tolerances.BankFee
		}
		if t.Rounding.IsZero() {
			t.Rounding = m.opts.Tolerances.Rounding
		}
		if t.DiscountGraceDays == 0 {
			t.DiscountGraceDays = m.opts.Tolerances.DiscountGraceDays
		}
		if m.custTol == nil {
			m.custTol = make(map[int32][]tolerance)
		}
		for _, cur := range m.book.currencies {
			m.custTol[c] = append(m.custTol[c], t.resolve(cur))
		}
	}
}

// tolerance returns the tolerances for customer c (or -1) in currency cur.
func (m *Matcher) tolerance(c int32, cur uint16) tolerance {
	if t, ok := m.custTol[c]; ok {
		return t[cur]
	}
	return m.tol[cur]
}

// autoThreshold returns the auto threshold for customer c (or -1).
func (m *Matcher) autoThreshold(c int32) Confidence {
	if t, ok := m.custAuto[c]; ok {
		return t
	}
	return m.opts.AutoThreshold
}

// Decide decides one payment and, when the decision applies cash, applies it
// to the book. The returned decision always conserves the payment's money.
func (m *Matcher) Decide(p Payment) Decision {
	ds, _ := m.DecideAll(context.Background(), []Payment{p})
	return ds[0]
}

// DecideAll decides payments and applies the automatic decisions to the
// book. Decisions[i] decides payments[i]. It returns early with ctx's error
// when ctx is done; the book then holds what was applied so far.
//
// The work runs in four steps, each in a fixed order so that the result
// does not depend on the number of workers:
//
//  1. In parallel, read each payment: its class (debit, pending, return,
//     not receivable), the invoices and customers it names, the invoices a
//     typing error may have meant, and its payer. Open amounts are read as
//     they stand before the run.
//  2. In order of value date, then payment ID, then position: recognise
//     returns and payments sent twice.
//  3. In parallel by customer: decide the payments whose payer is known and
//     that name only that customer's invoices, each customer's payments in
//     the order of step 2. Customers share no open item, so no two workers
//     ever touch the same invoice.
//  4. In the order of step 2: decide the payments of unknown payers and
//     those naming invoices of several customers (or, through a typing
//     error, of another customer than the payer), which may compete for
//     any open item.
func (m *Matcher) DecideAll(ctx context.Context, payments []Payment) ([]Decision, error) {
	n := len(payments)
	ds := make([]Decision, n)
	as := make([]analysis, n)
	workers := m.newWorkers(min(m.opts.Workers, max(1, n/64)))

	// Step 1: read every payment.
	err := m.parallel(ctx, workers, n, func(w *worker, i int) {
		w.analyze(&payments[i], &as[i])
	})
	if err != nil {
		return ds, err
	}

	// Step 2: a fixed order, returns and duplicates.
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(x, y int32) int {
		if c := cmp.Compare(as[x].day, as[y].day); c != 0 {
			return c
		}
		return cmp.Compare(payments[x].ID, payments[y].ID)
	})
	for _, i := range order {
		m.screen(&payments[i], &as[i])
	}

	// Step 3: known payers, in parallel by customer.
	groups := partition(order, as)
	err = m.parallel(ctx, workers, len(groups), func(w *worker, k int) {
		for _, i := range groups[k] {
			ds[i] = w.decide(&payments[i], &as[i], false)
		}
	})
	if err != nil {
		return ds, err
	}

	// Step 4: unknown payers and several customers, one at a time. What
	// is decided is remembered at once, for the returns that follow.
	m.indexChangedAmounts(workers)
	for _, i := range order {
		if a := &as[i]; a.prior >= 0 && a.partition >= 0 {
			m.settle(a, ds[i])
		}
	}
	w := workers[0]
	for _, i := range order {
		if err := ctx.Err(); err != nil {
			return ds, err
		}
		a := &as[i]
		switch {
		case a.verdict != receivable:
			ds[i] = m.predecided(&payments[i], a)
		case a.partition < 0:
			ds[i] = w.decide(&payments[i], a, true)
			if a.prior >= 0 {
				m.settle(a, ds[i])
			}
		}
	}
	return ds, nil
}

// settle remembers what was decided for a payment of the run.
func (m *Matcher) settle(a *analysis, d Decision) {
	cust := a.cust
	if c, ok := m.book.custByID[d.Customer]; ok && d.Customer != "" {
		cust = c
	}
	m.book.prior.settle(a.prior, cust, a.applied)
}

// partition groups the payments of step 3 by customer, each group in the
// fixed order, the groups by customer index.
func partition(order []int32, as []analysis) [][]int32 {
	byCust := make(map[int32][]int32)
	for _, i := range order {
		a := &as[i]
		if a.verdict == receivable && a.partition >= 0 {
			byCust[a.partition] = append(byCust[a.partition], i)
		}
	}
	custs := make([]int32, 0, len(byCust))
	for c := range byCust {
		custs = append(custs, c)
	}
	slices.Sort(custs)
	groups := make([][]int32, len(custs))
	for k, c := range custs {
		groups[k] = byCust[c]
	}
	return groups
}

// parallel calls fn(w, i) for i in [0, n) on the workers, each i once.
func (m *Matcher) parallel(ctx context.Context, workers []*worker, n int, fn func(w *worker, i int)) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				fn(w, i)
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}

// indexChangedAmounts adds the open amounts that step 3 changed to the
// amount index, for step 4.
func (m *Matcher) indexChangedAmounts(workers []*worker) {
	var changed []int32
	for _, w := range workers {
		changed = append(changed, w.changed...)
		w.changed = w.changed[:0]
	}
	slices.Sort(changed)
	for _, i := range slices.Compact(changed) {
		if it := &m.book.items[i]; it.open > 0 {
			m.amounts.add(amountKey{it.open, it.cur}, i)
		}
	}
}

// worker holds the scratch space of one goroutine.
type worker struct {
	m       *Matcher
	ex      extractor
	ns      nameScratch
	ss      subsetScratch
	changed []int32
	cands   []candidate
	items   []int32
}

func (m *Matcher) newWorkers(n int) []*worker {
	ws := make([]*worker, max(1, n))
	for k := range ws {
		ws[k] = &worker{m: m, ex: extractor{ix: m.nums}}
	}
	return ws
}
