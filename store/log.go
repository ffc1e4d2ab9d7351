package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/cockroachdb/pebble/v2"
)

// Log keys used by the store.
const (
	logComponent = "component"
	logEntity    = "entity"
	logStatement = "statement_id"
	logPayments  = "payments"
	logErr       = "err"
)

// pebbleLogger passes Pebble's own log lines to slog, marked as Pebble's.
type pebbleLogger struct{ log *slog.Logger }

func (l pebbleLogger) Infof(format string, args ...any) {
	if l.log.Enabled(context.Background(), slog.LevelDebug) {
		l.log.Debug(fmt.Sprintf(format, args...), logComponent, "pebble")
	}
}

func (l pebbleLogger) Errorf(format string, args ...any) {
	l.log.Error(fmt.Sprintf(format, args...), logComponent, "pebble")
}

func (l pebbleLogger) Fatalf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	l.log.Error(msg, logComponent, "pebble")
	panic("pebble: " + msg)
}

// eventListener routes Pebble's events to slog: failures and slow disks as
// warnings or errors, background work (flushes, compactions) at debug, so a
// store is silent unless something needs attention.
func eventListener(log *slog.Logger, m *storeMetrics) *pebble.EventListener {
	pl := log.With(logComponent, "pebble")
	return &pebble.EventListener{
		BackgroundError: func(err error) {
			pl.Error("background error", logErr, err.Error())
		},
		DataCorruption: func(info pebble.DataCorruptionInfo) {
			pl.Error("data corruption", "path", info.Path, logErr, info.Details.Error())
		},
		DiskSlow: func(info pebble.DiskSlowInfo) {
			pl.Warn("disk slow", "path", info.Path, "op", info.OpType.String(), "duration", info.Duration)
		},
		WriteStallBegin: func(info pebble.WriteStallBeginInfo) {
			m.stalls.Add(1)
			pl.Warn("write stall", "reason", info.Reason)
		},
		WriteStallEnd: func() {
			pl.Info("write stall ended")
		},
		CompactionEnd: func(info pebble.CompactionInfo) {
			if info.Err != nil && !errors.Is(info.Err, pebble.ErrCancelledCompaction) {
				pl.Warn("compaction failed", logErr, info.Err.Error())
				return
			}
			pl.Debug("compaction", "job", info.JobID, "duration", info.TotalDuration)
		},
		FlushEnd: func(info pebble.FlushInfo) {
			// Pebble reports a flush of an empty memtable as an error.
			if info.Err != nil && !strings.Contains(info.Err.Error(), "empty table") {
				pl.Warn("flush failed", logErr, info.Err.Error())
				return
			}
			pl.Debug("flush", "job", info.JobID, "tables", len(info.Output), "duration", info.TotalDuration)
		},
	}
}
