// Command cashmatch applies incoming bank payments to open receivables: it
// reads BAI2, ISO 20022 camt and NACHA files, matches each payment to the
// invoices it pays, applies what it is sure of and queues the rest for A/R
// specialists.
//
// Run "cashmatch help" for the list of commands and "cashmatch COMMAND
// --help" for each.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// command is one subcommand of the binary.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

// commands lists the subcommands in the order help shows them.
var commands = []command{
	{"demo", "run the whole job on the bundled demo data", runDemo},
	{"parse", "print the payments of bank files as JSON lines", runParse},
	{"match", "match bank files against an invoice file and print the decisions", runMatch},
	{"invoices", "manage open items: invoices import FILE.csv", runInvoices},
	{"ingest", "read bank files into a store, match and apply them", runIngest},
	{"serve", "serve the HTTP API", runServe},
	{"check", "verify a store's invariants", runCheck},
	{"report", "print a store's totals", runReport},
	{"backup", "copy a consistent checkpoint of a store", runBackup},
	{"gen", "generate a large statement set with ground truth", runGen},
	{"bench", "measure throughput and quality on a generated set", runBench},
}

// errUsage marks an error in how the command was called; it exits 2.
var errUsage = errors.New("usage")

// notBuiltError is the error of a command this release does not have yet; it
// exits 2.
type notBuiltError struct{ name string }

func (e notBuiltError) Error() string {
	return fmt.Sprintf("the %s command is not in this release yet", e.name)
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes the command line args and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], stdout, stderr)
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.As(err, new(notBuiltError)), errors.Is(err, errUsage):
			fmt.Fprintf(stderr, "cashmatch %s: %v\n", c.name, err)
			return 2
		default:
			fmt.Fprintf(stderr, "cashmatch %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "cashmatch: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "cashmatch applies incoming bank payments to open receivables.")
	fmt.Fprintln(w, "\nUsage: cashmatch COMMAND [flags] [args]\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'cashmatch COMMAND --help' for a command's flags.")
}

// notBuilt returns the run function of a command this release does not have:
// --help says so, anything else exits 2 with one line.
func notBuilt(synopsis string) func(context.Context, []string, io.Writer, io.Writer) error {
	name, _, _ := strings.Cut(synopsis, " ")
	return func(_ context.Context, args []string, _, stderr io.Writer) error {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintf(stderr, "Usage: cashmatch %s\n\nThe %s command is not in this release yet.\n", synopsis, name)
			return nil
		}
		return notBuiltError{name}
	}
}
