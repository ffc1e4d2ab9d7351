package workbench

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Cookie and form field names.
const (
	sessionCookie = "cashmatch_session"
	// signInCookie carries the CSRF token of the sign-in form, before there
	// is a session to keep it in.
	signInCookie = "cashmatch_signin"
	csrfField    = "csrf"
)

// maxSessions bounds the sessions kept at once; when it is reached the
// oldest are dropped first.
const maxSessions = 10000

// session is one signed-in person. The API token never leaves the server:
// the cookie holds only a random ID, and the store keys sessions by the
// ID's SHA-256.
type session struct {
	token   string
	me      me
	csrf    string
	created time.Time
	expires time.Time

	// flash is a message for the next page shown, such as the outcome of a
	// form; guarded by the store's lock.
	flash string
}

// me is who the API says a person is and what their role may do.
type me struct {
	Name          string   `json:"name"`
	Role          string   `json:"role"`
	Actions       []string `json:"actions"`
	ApprovalLimit string   `json:"approval_limit"`
}

// Can reports whether the API allows the person the action, such as
// "exceptions.resolve".
func (m me) Can(action string) bool { return slices.Contains(m.Actions, action) }

// validCSRF reports whether token is the session's CSRF token.
func (s *session) validCSRF(token string) bool {
	return token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(s.csrf)) == 1
}

// sessions is the in-memory session store. It is safe for concurrent use.
type sessions struct {
	ttl time.Duration
	now func() time.Time
	// max is the most sessions kept at once.
	max int
	// secure marks cookies Secure even on plain HTTP (behind a TLS proxy).
	secure bool

	mu struct {
		sync.Mutex
		byID map[[sha256.Size]byte]*session
	}
}

func newSessions(ttl time.Duration, now func() time.Time, secure bool) *sessions {
	s := &sessions{ttl: ttl, now: now, max: maxSessions, secure: secure}
	s.mu.byID = map[[sha256.Size]byte]*session{}
	return s
}

// start makes a session for the holder of token and sets its cookie.
func (ss *sessions) start(w http.ResponseWriter, r *http.Request, token string, who me) *session {
	id := randomToken()
	now := ss.now()
	s := &session{token: token, me: who, csrf: randomToken(), created: now, expires: now.Add(ss.ttl)}

	ss.mu.Lock()
	if len(ss.mu.byID) >= ss.max {
		ss.pruneLocked(now)
	}
	ss.mu.byID[sha256.Sum256([]byte(id))] = s
	ss.mu.Unlock()

	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: id, Path: "/", Expires: s.expires, MaxAge: int(ss.ttl.Seconds()),
		HttpOnly: true, Secure: ss.secure || r.TLS != nil, SameSite: http.SameSiteLaxMode,
	})
	return s
}

// get returns the session of r's cookie, or nil when there is none or it has
// expired.
func (ss *sessions) get(r *http.Request) *session {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	key := sha256.Sum256([]byte(c.Value))
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s := ss.mu.byID[key]
	if s == nil {
		return nil
	}
	if !ss.now().Before(s.expires) {
		delete(ss.mu.byID, key)
		return nil
	}
	return s
}

// end forgets the session of r's cookie and clears the cookie.
func (ss *sessions) end(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		ss.mu.Lock()
		delete(ss.mu.byID, sha256.Sum256([]byte(c.Value)))
		ss.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: ss.secure || r.TLS != nil, SameSite: http.SameSiteLaxMode})
}

// setFlash keeps msg for the next page of session s.
func (ss *sessions) setFlash(s *session, msg string) {
	ss.mu.Lock()
	s.flash = msg
	ss.mu.Unlock()
}

// takeFlash returns and clears the message kept for session s.
func (ss *sessions) takeFlash(s *session) string {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	msg := s.flash
	s.flash = ""
	return msg
}

// pruneLocked drops expired sessions, and the oldest ones while the store
// is full. It costs a pass over the sessions, so it runs only when the store
// is full; get drops expired sessions it meets.
//
// REQUIRES: ss.mu is held.
func (ss *sessions) pruneLocked(now time.Time) {
	for k, s := range ss.mu.byID {
		if !now.Before(s.expires) {
			delete(ss.mu.byID, k)
		}
	}
	for len(ss.mu.byID) >= ss.max {
		var (
			oldest    [sha256.Size]byte
			oldestAt  time.Time
			haveFirst bool
		)
		for k, s := range ss.mu.byID {
			if !haveFirst || s.created.Before(oldestAt) {
				oldest, oldestAt, haveFirst = k, s.created, true
			}
		}
		delete(ss.mu.byID, oldest)
	}
}

// randomToken returns 32 random bytes, base64url-encoded.
func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails; see crypto/rand.Read
	return base64.RawURLEncoding.EncodeToString(b)
}
