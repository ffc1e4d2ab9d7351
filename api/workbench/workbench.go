package workbench

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// Options configure a Workbench. API is required; every other field has a
// working zero value.
type Options struct {
	// API serves the HTTP API under /v1; the pages call it in process.
	API http.Handler
	// Logger receives one record per page request. Nil discards.
	Logger *slog.Logger
	// SessionTTL is how long a sign-in lasts. Zero means 8 hours.
	SessionTTL time.Duration
	// SecureCookies marks cookies Secure even when a request came over
	// plain HTTP, for a server behind a proxy that terminates TLS. Cookies
	// of requests that came over TLS are always Secure.
	SecureCookies bool
	// Now returns the current time. Nil means time.Now.
	Now func() time.Time
}

// EnsureDefaults fills in the zero fields of o and returns it.
func (o *Options) EnsureDefaults() *Options {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.SessionTTL == 0 {
		o.SessionTTL = 8 * time.Hour
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Validate reports every missing or inconsistent setting at once.
func (o *Options) Validate() error {
	var errs []error
	if o.API == nil {
		errs = append(errs, errors.New("no API handler"))
	}
	if o.SessionTTL < 0 {
		errs = append(errs, fmt.Errorf("session lifetime %s is negative", o.SessionTTL))
	}
	if len(errs) > 0 {
		return fmt.Errorf("workbench options: %w", errors.Join(errs...))
	}
	return nil
}

// Workbench serves the web pages. It is safe for concurrent use.
type Workbench struct {
	opts     Options
	log      *slog.Logger
	api      *apiClient
	sessions *sessions
	pages    *pages
	handler  http.Handler
	// queuePage is how many exceptions a page of the queue shows.
	queuePage int
}

// New returns a workbench with the given options.
func New(opts Options) (*Workbench, error) {
	o := opts
	o.EnsureDefaults()
	if err := o.Validate(); err != nil {
		return nil, err
	}
	p, err := loadPages()
	if err != nil {
		return nil, err
	}
	wb := &Workbench{
		opts: o, log: o.Logger, api: &apiClient{h: o.API},
		sessions: newSessions(o.SessionTTL, o.Now, o.SecureCookies), pages: p, queuePage: queuePage,
	}
	wb.handler = wb.routes()
	return wb, nil
}

// Handler returns the handler of every page and of the embedded assets. It
// serves the paths the API does not use: mount it at "/" beside the API.
func (wb *Workbench) Handler() http.Handler { return wb.handler }

// routes lists the pages. Pages that change something take POST and a form
// with the session's CSRF token; the cross-origin check refuses unsafe
// requests that browsers mark as coming from elsewhere before any handler
// runs.
func (wb *Workbench) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /static/", staticHandler())
	mux.HandleFunc("GET /signin", wb.signInPage)
	mux.HandleFunc("POST /signin", wb.signIn)
	mux.Handle("POST /signout", wb.page(wb.signOut))

	mux.Handle("GET /{$}", wb.page(wb.overview))
	mux.Handle("GET /statements", wb.page(wb.statements))
	mux.Handle("POST /statements", wb.uploadPage(wb.uploadStatement))
	mux.Handle("GET /statements/{id}", wb.page(wb.statement))
	mux.Handle("GET /invoices", wb.page(wb.invoices))
	mux.Handle("POST /invoices", wb.uploadPage(wb.uploadInvoices))
	mux.Handle("GET /customers/{id}", wb.page(wb.customer))
	mux.Handle("GET /exceptions", wb.page(wb.queue))
	mux.Handle("GET /exceptions/{id}", wb.page(wb.exception))
	mux.Handle("POST /exceptions/{id}/resolve", wb.page(wb.resolve))
	mux.Handle("POST /exceptions/{id}/assign", wb.page(wb.assign))
	mux.Handle("POST /exceptions/{id}/decide", wb.page(wb.decide))
	mux.Handle("GET /payments/{id}", wb.page(wb.payment))
	mux.Handle("POST /payments/{id}/unapply", wb.page(wb.unapply))
	mux.Handle("/", wb.page(wb.notFound))

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(wb.crossOrigin))
	return wb.logged(securityHeaders(cop.Handler(mux)))
}

// pageFunc is a page's code. It writes the response itself and returns an
// error otherwise: an *apiError is shown with the API's explanation,
// anything else is logged and shown as an internal error.
type pageFunc func(w http.ResponseWriter, r *http.Request, s *session) error

// page wraps a page with the session check: a request without a valid
// session is sent to the sign-in page, and a form without the session's
// CSRF token is refused.
func (wb *Workbench) page(fn pageFunc) http.Handler { return wb.withSession(fn, true) }

// uploadPage wraps a page that receives a file: the multipart form is read
// as a stream, and its CSRF token must come before the file (see
// readUpload).
func (wb *Workbench) uploadPage(fn uploadFunc) http.Handler {
	return wb.withSession(wb.readUpload(fn), false)
}

func (wb *Workbench) withSession(fn pageFunc, form bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := wb.sessions.get(r)
		if s == nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/signin?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			wb.renderError(w, r, nil, http.StatusUnauthorized, "Signed out",
				"Your session has ended. Sign in again, then repeat what you were doing.")
			return
		}
		if rec, ok := w.(*statusRecorder); ok {
			rec.user = s.me.Name
		}
		if form && r.Method != http.MethodGet && r.Method != http.MethodHead {
			r.Body = http.MaxBytesReader(w, r.Body, maxForm)
			if !s.validCSRF(r.PostFormValue(csrfField)) {
				wb.refuseForm(w, r, s)
				return
			}
		}
		if err := fn(w, r, s); err != nil {
			wb.fail(w, r, s, err)
		}
	})
}

// maxForm is the largest form a page accepts, uploads aside.
const maxForm = 1 << 20

func (wb *Workbench) refuseForm(w http.ResponseWriter, r *http.Request, s *session) {
	wb.renderError(w, r, s, http.StatusForbidden, "Form expired",
		"This form is out of date or did not come from this page. Reload the page and try again.")
}

// fail answers a request whose page returned err.
func (wb *Workbench) fail(w http.ResponseWriter, r *http.Request, s *session, err error) {
	var ae *apiError
	if errors.As(err, &ae) {
		if ae.Status == http.StatusUnauthorized {
			// The API no longer knows the token: the session is worthless.
			wb.sessions.end(w, r)
			http.Redirect(w, r, "/signin", http.StatusSeeOther)
			return
		}
		wb.renderError(w, r, s, ae.Status, ae.Title, ae.Detail)
		return
	}
	wb.log.ErrorContext(r.Context(), "page failed", "method", r.Method, "path", r.URL.Path, "error", err)
	wb.renderError(w, r, s, http.StatusInternalServerError, "Internal error",
		"The page could not be shown; the error is logged.")
}

func (wb *Workbench) notFound(w http.ResponseWriter, r *http.Request, s *session) error {
	wb.renderError(w, r, s, http.StatusNotFound, "Not found", "There is no page at "+r.URL.Path+".")
	return nil
}

func (wb *Workbench) crossOrigin(w http.ResponseWriter, r *http.Request) {
	wb.renderError(w, r, nil, http.StatusForbidden, "Refused",
		"This request came from another site. Open the workbench and use its own forms.")
}

// contentSecurityPolicy lets pages load scripts, styles and images from
// their own origin only, run no inline script or style, submit forms only to
// themselves and never be framed.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// securityHeaders sets the headers every page and asset carries. Pages
// show a person's data, so no cache may keep them; the static handler
// overrides that for assets.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// logged writes one record per request.
func (wb *Workbench) logged(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := wb.opts.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		wb.log.LogAttrs(r.Context(), slog.LevelInfo, "page",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", rec.code()), slog.Duration("took", wb.opts.Now().Sub(start)),
			slog.String("user", rec.user), slog.String("remote", r.RemoteAddr))
	})
}

// statusRecorder remembers a response's status and the person who asked,
// for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
	user   string
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusRecorder) code() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}
