package api

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
)

// Page sizes of list routes.
const (
	defaultLimit = 100
	maxLimit     = 1000
)

// limitParam reads the limit query parameter: 1 to maxLimit, default
// defaultLimit.
func limitParam(r *http.Request) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return defaultLimit, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxLimit {
		return 0, badRequest(fmt.Sprintf("limit %q: want a whole number from 1 to %d", v, maxLimit))
	}
	return n, nil
}

// boolParam reads a true/false query parameter; absent is false.
func boolParam(r *http.Request, name string) (bool, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, badRequest(fmt.Sprintf("%s %q: want true or false", name, v))
	}
	return b, nil
}

// encodeCursor makes an opaque paging cursor of the last key returned.
func encodeCursor(key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(key))
}

// decodeCursor reads a cursor made by encodeCursor.
func decodeCursor(c string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) == 0 {
		return "", badRequest("cursor: not a cursor this API returned")
	}
	return string(b), nil
}

// seqCursor reads a cursor that holds a sequence number.
func seqCursor(c string) (uint64, error) {
	k, err := decodeCursor(c)
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseUint(k, 10, 64)
	if err != nil {
		return 0, badRequest("cursor: not a cursor this API returned")
	}
	return n, nil
}
