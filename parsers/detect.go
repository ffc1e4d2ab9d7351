package parsers

import (
	"bytes"
	"regexp"

	"github.com/cashmatch/cashmatch/engine"
)

// DetectSize is how many leading bytes Detect needs to decide.
const DetectSize = 4096

var camtNamespace = regexp.MustCompile(`urn:iso:std:iso:20022:tech:xsd:camt\.(05[234])\.001\.\d\d`)

// Detect names the format of a bank file from its first bytes (up to
// DetectSize). It returns ErrUnknownFormat when none fits.
func Detect(head []byte) (engine.Format, error) {
	b := bytes.TrimLeft(head, " \t\r\n\ufeff")
	switch {
	case len(b) > 0 && b[0] == '<':
		m := camtNamespace.FindSubmatch(head)
		if m == nil {
			return "", ErrUnknownFormat
		}
		return engine.Format("camt." + string(m[1])), nil
	case bytes.HasPrefix(b, []byte("01,")):
		return engine.FormatBAI2, nil
	case len(b) >= 3 && b[0] == '1' && b[1] == '0' && (b[2] == '1' || b[2] == ' '):
		return engine.FormatACH, nil
	}
	return "", ErrUnknownFormat
}
