package parsers

import (
	"errors"
	"strings"
	"testing"

	"github.com/cashmatch/cashmatch/engine"
)

// record pads text with blanks to a 94-character NACHA record.
func record(text string) string { return text + strings.Repeat(" ", 94-len(text)) }

var (
	fileHeader  = record("101 231380104 1210428822603171200A094101FEDERAL RESERVE BANK   MY BANK NAME")
	batchHeader = "5200ACME INDUSTRIAL                     1234567890CTXPAYMENT         2603180771121042880000001"
	entry       = "622231380104987654321        0000100000R0000001       0001CASHMATCH DEMO      1121042880000001"
	fileControl = record("9000001000001000000040023138010000000000000000000100000")
	filler      = strings.Repeat("9", 94)
)

func TestDetect(t *testing.T) {
	tests := []struct {
		name string
		head string
		want engine.Format // empty for ErrUnknownFormat
	}{
		{"NACHA file header first", fileHeader + "\n" + batchHeader + "\n", engine.FormatACH},
		{"NACHA batch header first", batchHeader + "\n" + entry + "\n", engine.FormatACH},
		{"NACHA file control first, CRLF", fileControl + "\r\n" + filler + "\r\n", engine.FormatACH},
		{"NACHA batch header first, no line breaks", batchHeader + entry + fileControl, engine.FormatACH},
		{"NACHA without line breaks, cut inside the second record", batchHeader + entry[:40], engine.FormatACH},
		{"NACHA second line lost its trailing blanks", batchHeader + "\n" + strings.TrimRight(entry, " ") + "\n", engine.FormatACH},
		{"NACHA record followed by blanks", batchHeader + "   \n" + entry + "\n", engine.FormatACH},
		{"NACHA single record", entry, engine.FormatACH},
		{"BAI2", "01,121000358,CASHMATCH,260317,1200,1,,,2/\n", engine.FormatBAI2},
		{"camt.053", `<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">`, engine.FormatCamt053},
		{"text starting with record types", "5 apples\n6 pears\n", ""},
		{"94 characters of another record type", record("2 not a record") + "\n" + entry + "\n", ""},
		{"second line not a record", batchHeader + "\nhello\n", ""},
		{"second line longer than a record", batchHeader + "\n" + entry + "XYZ\n", ""},
		{"first line shorter than a record", strings.TrimRight(fileControl, " ") + "\n" + filler + "\n", ""},
		{"first line longer than a record", batchHeader + "EXTRA\n" + entry + "\n", ""},
		{"no line breaks, second record of another type", batchHeader + "X" + entry[1:], ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Detect([]byte(tt.head))
			if tt.want == "" {
				if !errors.Is(err, ErrUnknownFormat) {
					t.Errorf("Detect = %q, %v; want ErrUnknownFormat", got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("Detect = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// FuzzDetect detects the format of arbitrary bytes: it must never panic and
// must name a format or return ErrUnknownFormat.
func FuzzDetect(f *testing.F) {
	for _, head := range []string{fileHeader + "\n" + batchHeader, batchHeader + entry, fileControl + "\r\n" + filler, "01,1,2/\n", "<Document/>"} {
		f.Add([]byte(head))
	}
	f.Fuzz(func(t *testing.T, head []byte) {
		got, err := Detect(head)
		if err != nil && (!errors.Is(err, ErrUnknownFormat) || got != "") {
			t.Fatalf("Detect = %q, %v", got, err)
		}
		if err == nil && got == "" {
			t.Fatal("no format and no error")
		}
	})
}
