package api

import (
	"context"
	"sync"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/store"
)

// maxGroup is the most resolutions one store batch holds.
const maxGroup = 512

// groupCommit gathers the resolutions that arrive while a store batch is
// being written and writes them together in the next one, so that many
// specialists resolving at once share one synced write instead of queueing
// for one each. A writer goroutine runs while resolutions wait and ends when
// none does.
type groupCommit struct {
	store  Store
	entity engine.EntityID

	mu struct {
		sync.Mutex
		queue   []*groupItem
		writing bool
	}
}

// groupItem is one caller's resolutions and, once written, their outcome.
type groupItem struct {
	rs   []store.Resolution
	xs   []store.Exception
	errs []error
	err  error
	done chan struct{}
}

// resolveAll writes rs as store.ResolveAll does, in a batch shared with
// other callers. Each resolution is checked against the state left by those
// before it in the batch, so independent resolutions do not affect each
// other.
func (g *groupCommit) resolveAll(ctx context.Context, rs []store.Resolution) ([]store.Exception, []error, error) {
	it := &groupItem{rs: rs, done: make(chan struct{})}
	g.mu.Lock()
	g.mu.queue = append(g.mu.queue, it)
	if !g.mu.writing {
		// A batch belongs to every caller in it, so it does not end with
		// this caller's request.
		g.mu.writing = true
		go g.drain(context.WithoutCancel(ctx))
	}
	g.mu.Unlock()
	<-it.done
	return it.xs, it.errs, it.err
}

// drain writes batches until nobody waits.
func (g *groupCommit) drain(ctx context.Context) {
	for {
		batch := g.take()
		if batch == nil {
			return
		}
		g.write(ctx, batch)
	}
}

// take removes up to maxGroup resolutions' worth of callers from the queue,
// or ends the writing turn when the queue is empty.
func (g *groupCommit) take() []*groupItem {
	g.mu.Lock()
	defer g.mu.Unlock()
	n, size := 0, 0
	for n < len(g.mu.queue) && (n == 0 || size+len(g.mu.queue[n].rs) <= maxGroup) {
		size += len(g.mu.queue[n].rs)
		n++
	}
	if n == 0 {
		g.mu.writing = false
		return nil
	}
	batch := g.mu.queue[:n:n]
	g.mu.queue = g.mu.queue[n:]
	return batch
}

// write applies a batch of callers' resolutions in one store call and hands
// each caller its part of the outcome.
func (g *groupCommit) write(ctx context.Context, batch []*groupItem) {
	var all []store.Resolution
	for _, it := range batch {
		all = append(all, it.rs...)
	}
	xs, errs, err := g.store.ResolveAll(ctx, g.entity, all)
	i := 0
	for _, it := range batch {
		n := len(it.rs)
		if err != nil {
			it.err = err
		} else {
			it.xs, it.errs = xs[i:i+n], errs[i:i+n]
		}
		i += n
		close(it.done)
	}
}
