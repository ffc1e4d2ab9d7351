package engine

import (
	"errors"
	"fmt"
	"log/slog"
)

// Options configure a Matcher. The zero value works: EnsureDefaults fills in
// every field left at zero.
type Options struct {
	// Logger receives debug records of candidate scoring. Nil discards.
	Logger *slog.Logger
	// AutoThreshold is the confidence at or above which a decision is
	// applied without a person. Zero means 0.900.
	AutoThreshold Confidence
	// SuggestThreshold is the confidence at or above which a candidate is
	// offered as a suggestion. Zero means 0.300.
	SuggestThreshold Confidence
	// CommitSize is how many decided payments Ingest writes per synced
	// commit. Zero means DefaultCommitSize.
	CommitSize int
	// Decided, when set, is called by Ingest and DecidePending for every
	// payment once its decision is committed, in sequence order.
	Decided func(Payment, Decision)
}

// EnsureDefaults fills in the zero fields of o and returns it. A nil o is
// allocated.
func (o *Options) EnsureDefaults() *Options {
	if o == nil {
		o = &Options{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.AutoThreshold == 0 {
		o.AutoThreshold = 900
	}
	if o.SuggestThreshold == 0 {
		o.SuggestThreshold = 300
	}
	if o.CommitSize == 0 {
		o.CommitSize = DefaultCommitSize
	}
	return o
}

// Validate reports every inconsistent setting at once.
func (o *Options) Validate() error {
	var errs []error
	if o.AutoThreshold > Certain {
		errs = append(errs, fmt.Errorf("auto threshold %s is above 1", o.AutoThreshold))
	}
	if o.SuggestThreshold > o.AutoThreshold {
		errs = append(errs, fmt.Errorf("suggest threshold %s is above the auto threshold %s",
			o.SuggestThreshold, o.AutoThreshold))
	}
	if o.CommitSize < 0 {
		errs = append(errs, fmt.Errorf("commit size %d is negative", o.CommitSize))
	}
	return joinErrors(errs)
}

func joinErrors(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("invalid options: %w", errors.Join(errs...))
}
