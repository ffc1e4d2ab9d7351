package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"

	"github.com/cashmatch/cashmatch/parsers"
	"github.com/cashmatch/cashmatch/parsers/bankfile"
)

func runParse(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("parse", "parse [--strict] FILE...",
		"Reads bank files (BAI2, ISO 20022 camt.052/053/054, NACHA ACH; the format is\n"+
			"detected) and prints one JSON object per payment, one per line. A file that\n"+
			"cannot be read stops the command with a message naming the file and line.", stderr)
	strict := fs.Bool("strict", false, "refuse any departure from the format's specification")
	var bf bai2Flags
	bf.register(fs)
	var lf logFlags
	lf.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errUsage
	}
	log, err := lf.logger(stderr)
	if err != nil {
		return err
	}

	w := bufio.NewWriterSize(stdout, 64*1024)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, path := range fs.Args() {
		if err := ctx.Err(); err != nil {
			return err
		}
		f, err := bankfile.Open(path, &parsers.Options{Strict: *strict, Logger: log, BAI2: bf.opts})
		if err != nil {
			return err
		}
		err = printPayments(f, enc)
		f.Close()
		if err != nil {
			return err
		}
		for _, warning := range f.Statement().Warnings {
			log.Warn(warning, "file", path)
		}
	}
	return nil
}

// printPayments encodes every payment of f until its end or its first error.
func printPayments(f *bankfile.File, enc *json.Encoder) error {
	for {
		p, err := f.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := enc.Encode(p); err != nil {
			return err
		}
	}
}
