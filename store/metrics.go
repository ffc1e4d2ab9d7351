package store

import (
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
)

// storeMetrics counts the store's own writes; Pebble's figures are read when
// collected.
type storeMetrics struct {
	batches  atomic.Uint64 // synced batches committed
	bytes    atomic.Uint64 // bytes of those batches
	payments atomic.Uint64 // payments whose decisions were committed
	stored   atomic.Uint64 // payments stored by Receive
	conflict atomic.Uint64 // changes refused with ErrConflict
	stalls   atomic.Uint64 // write stalls Pebble reported
}

func newStoreMetrics() *storeMetrics { return &storeMetrics{} }

var (
	descBatches = prometheus.NewDesc("cashmatch_store_write_batches_total",
		"Synced write batches committed by the store.", nil, nil)
	descBytes = prometheus.NewDesc("cashmatch_store_write_bytes_total",
		"Bytes of the synced write batches committed by the store.", nil, nil)
	descDecided = prometheus.NewDesc("cashmatch_store_payments_decided_total",
		"Payments whose decisions the store committed.", nil, nil)
	descStored = prometheus.NewDesc("cashmatch_store_payments_stored_total",
		"Payments stored from received statements.", nil, nil)
	descConflicts = prometheus.NewDesc("cashmatch_store_conflicts_total",
		"Changes refused because they were based on a stale version.", nil, nil)
	descCompactions = prometheus.NewDesc("cashmatch_store_compactions_total",
		"Compactions Pebble ran since the store was opened.", nil, nil)
	descCompactDebt = prometheus.NewDesc("cashmatch_store_compaction_debt_bytes",
		"Estimated bytes Pebble still has to compact.", nil, nil)
	descFlushes = prometheus.NewDesc("cashmatch_store_flushes_total",
		"Memtable flushes since the store was opened.", nil, nil)
	descDisk = prometheus.NewDesc("cashmatch_store_disk_usage_bytes",
		"Bytes the store's files take on disk.", nil, nil)
	descWAL = prometheus.NewDesc("cashmatch_store_wal_bytes_written_total",
		"Bytes written to the write-ahead log.", nil, nil)
	descStall = prometheus.NewDesc("cashmatch_store_write_stalls_total",
		"Times Pebble delayed writes to let compactions catch up.", nil, nil)
)

// Collector returns a Prometheus collector of the store's metrics: write
// batches and bytes, payments stored and decided, conflicts, and Pebble's
// compactions, flushes, WAL bytes, write stalls and disk usage. Register it
// once per store.
func (s *Store) Collector() prometheus.Collector { return collector{s} }

type collector struct{ s *Store }

func (c collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descBatches, descBytes, descDecided, descStored, descConflicts,
		descCompactions, descCompactDebt, descFlushes, descDisk, descWAL, descStall} {
		ch <- d
	}
}

func (c collector) Collect(ch chan<- prometheus.Metric) {
	m := c.s.metrics
	counter := func(d *prometheus.Desc, v uint64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v))
	}
	counter(descBatches, m.batches.Load())
	counter(descBytes, m.bytes.Load())
	counter(descDecided, m.payments.Load())
	counter(descStored, m.stored.Load())
	counter(descConflicts, m.conflict.Load())
	pm := c.s.db.Metrics()
	counter(descCompactions, uint64(pm.Compact.Count))
	ch <- prometheus.MustNewConstMetric(descCompactDebt, prometheus.GaugeValue, float64(pm.Compact.EstimatedDebt))
	counter(descFlushes, uint64(pm.Flush.Count))
	ch <- prometheus.MustNewConstMetric(descDisk, prometheus.GaugeValue, float64(pm.DiskSpaceUsage()))
	counter(descWAL, pm.WAL.BytesWritten)
	counter(descStall, m.stalls.Load())
}
