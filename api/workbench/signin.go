package workbench

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"
)

type signInData struct {
	Next  string
	Error string
}

// signInPage shows the sign-in form. Its CSRF token lives in a short-lived
// cookie of its own, since there is no session yet.
func (wb *Workbench) signInPage(w http.ResponseWriter, r *http.Request) {
	if wb.sessions.get(r) != nil {
		http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	wb.renderSignIn(w, r, http.StatusOK, signInData{Next: localPath(r.URL.Query().Get("next"))})
}

func (wb *Workbench) renderSignIn(w http.ResponseWriter, r *http.Request, status int, d signInData) {
	token := randomToken()
	http.SetCookie(w, &http.Cookie{Name: signInCookie, Value: token, Path: "/signin", MaxAge: 3600,
		HttpOnly: true, Secure: wb.opts.SecureCookies || r.TLS != nil, SameSite: http.SameSiteStrictMode})
	err := wb.pages.render(w, status, "signin", view{Title: "Sign in", CSRF: token, Data: d})
	if err != nil {
		wb.log.ErrorContext(r.Context(), "render sign-in page", "error", err)
	}
}

// signIn checks the token with the API and starts a session for its
// holder.
func (wb *Workbench) signIn(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	c, err := r.Cookie(signInCookie)
	form := r.PostFormValue(csrfField)
	if err != nil || form == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(form)) != 1 {
		wb.renderSignIn(w, r, http.StatusForbidden, signInData{Next: localPath(r.PostFormValue("next")),
			Error: "The sign-in form expired. Please try again."})
		return
	}
	d := signInData{Next: localPath(r.PostFormValue("next"))}
	token := strings.TrimSpace(r.PostFormValue("token"))
	if token == "" {
		d.Error = "Enter your API token."
		wb.renderSignIn(w, r, http.StatusUnprocessableEntity, d)
		return
	}

	// The API alone knows tokens: ask it who this is.
	var who me
	_, err = wb.api.getJSON(r, token, "/v1/me", &who)
	var ae *apiError
	switch {
	case errors.As(err, &ae) && ae.Status == http.StatusUnauthorized:
		d.Error = "This token is not known. Check it with whoever gave it to you."
		wb.renderSignIn(w, r, http.StatusUnauthorized, d)
		return
	case err != nil:
		wb.log.ErrorContext(r.Context(), "sign in", "error", err)
		d.Error = "Signing in failed on the server; the error is logged."
		wb.renderSignIn(w, r, http.StatusInternalServerError, d)
		return
	}

	wb.sessions.end(w, r)
	wb.sessions.start(w, r, token, who)
	http.SetCookie(w, &http.Cookie{Name: signInCookie, Value: "", Path: "/signin", MaxAge: -1})
	wb.log.InfoContext(r.Context(), "signed in", "user", who.Name, "role", who.Role)
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
}

// signOut ends the session.
func (wb *Workbench) signOut(w http.ResponseWriter, r *http.Request, s *session) error {
	wb.sessions.end(w, r)
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
	return nil
}

// localPath returns p when it is a path on this server, and "/" otherwise,
// so that a crafted next= cannot send a person elsewhere after signing in.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") ||
		strings.ContainsAny(p, "\r\n") {
		return "/"
	}
	return p
}
