package api

import (
	"bufio"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
)

// Role is what a caller is allowed to do; the permission table maps roles to
// actions.
type Role string

// Roles.
const (
	// Uploader is treasury: it sends bank statements and invoice files.
	Uploader Role = "uploader"
	// Specialist works the exception queue: assigns, resolves, unapplies.
	Specialist Role = "specialist"
	// Approver does what a specialist does and releases write-offs above the
	// approval limit that someone else resolved.
	Approver Role = "approver"
	// Admin may do everything.
	Admin Role = "admin"
	// Viewer reads: auditors, reports, the ERP's export.
	Viewer Role = "viewer"
)

var roles = []Role{Uploader, Specialist, Approver, Admin, Viewer}

// MinTokenLength is the shortest token a tokens file may hold.
const MinTokenLength = 16

// Principal is an authenticated caller.
type Principal struct {
	Name string
	Role Role
}

type principalKey struct{}

// principalFrom returns the caller a request was authenticated as.
func principalFrom(ctx context.Context) Principal {
	p, _ := ctx.Value(principalKey{}).(Principal)
	return p
}

// Tokens holds the bearer tokens a server accepts. Only SHA-256 digests of
// the tokens are kept. It is safe for concurrent use once built.
type Tokens struct {
	entries []tokenEntry
}

type tokenEntry struct {
	digest [sha256.Size]byte
	who    Principal
}

// LoadTokens reads a tokens file; see ParseTokens for its format.
func LoadTokens(path string) (*Tokens, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t, err := ParseTokens(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// ParseTokens reads tokens, one per line: the token, the role and the
// person's name, separated by blanks; the name is the rest of the line and
// may itself hold blanks. Blank lines and lines starting with # are skipped.
// A token shorter than MinTokenLength, an unknown role, a missing name or a
// token given twice is an error naming the line; every such line is
// reported at once.
func ParseTokens(r io.Reader) (*Tokens, error) {
	var (
		t    Tokens
		errs []error
		seen = map[[sha256.Size]byte]int{}
	)
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Fields(text)
		if len(fields) < 3 {
			errs = append(errs, fmt.Errorf("line %d: want token, role and name", line))
			continue
		}
		token, role, name := fields[0], Role(fields[1]), strings.Join(fields[2:], " ")
		if len(token) < MinTokenLength {
			errs = append(errs, fmt.Errorf("line %d: token shorter than %d characters", line, MinTokenLength))
			continue
		}
		if !validRole(role) {
			errs = append(errs, fmt.Errorf("line %d: unknown role %q (want one of uploader, specialist, approver, admin, viewer)", line, role))
			continue
		}
		d := sha256.Sum256([]byte(token))
		if first, dup := seen[d]; dup {
			errs = append(errs, fmt.Errorf("line %d: token already given on line %d", line, first))
			continue
		}
		seen[d] = line
		t.entries = append(t.entries, tokenEntry{digest: d, who: Principal{Name: name, Role: role}})
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(t.entries) == 0 {
		return nil, errors.New("no tokens")
	}
	return &t, nil
}

func validRole(r Role) bool {
	for _, v := range roles {
		if r == v {
			return true
		}
	}
	return false
}

// Len returns the number of tokens.
func (t *Tokens) Len() int { return len(t.entries) }

// lookup returns the principal of a token. It compares the token's digest
// with every entry in constant time and does not stop at the first match, so
// the time taken says nothing about which token, if any, matched.
func (t *Tokens) lookup(token string) (Principal, bool) {
	d := sha256.Sum256([]byte(token))
	var (
		who   Principal
		found int
	)
	for i := range t.entries {
		if subtle.ConstantTimeCompare(d[:], t.entries[i].digest[:]) == 1 {
			who = t.entries[i].who
			found = 1
		}
	}
	return who, found == 1
}

// bearerToken returns the token of an "Authorization: Bearer TOKEN" header.
func bearerToken(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}
