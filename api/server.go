package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/shopspring/decimal"
)

// Options configure a Server. Store and Tokens are required; every other
// field has a working zero value.
type Options struct {
	Store  Store
	Tokens *Tokens
	// Entity is the legal entity the server serves. Empty means
	// engine.DefaultEntity.
	Entity engine.EntityID
	// Logger receives one record per request and the server's lifecycle
	// events. Nil discards.
	Logger *slog.Logger
	// Engine configures matching on upload. Nil uses the engine's defaults.
	Engine *engine.Options
	// ApprovalLimit is the largest write-off, in units of the payment's
	// currency, that a specialist may make alone; a larger one waits for an
	// approver. Zero means every write-off waits.
	ApprovalLimit decimal.Decimal
	// MaxUpload is the largest bank or invoice file accepted, in bytes.
	// Zero means 256 MiB.
	MaxUpload int64
	// MaxBody is the largest JSON request body, in bytes. Zero means 4 MiB.
	MaxBody int64
	// RequestTimeout bounds the work of a request other than an upload.
	// Zero means 30 seconds.
	RequestTimeout time.Duration
	// UploadTimeout bounds reading and ingesting an upload. Zero means 10
	// minutes.
	UploadTimeout time.Duration
	// TempDir is where uploads are spooled. Empty means os.TempDir().
	TempDir string
	// Collectors are registered beside the service's own metrics, such as
	// the store's.
	Collectors []prometheus.Collector
	// SeparateMetrics leaves /metrics out of Handler, for serving
	// MetricsHandler on an address of its own.
	SeparateMetrics bool
}

// EnsureDefaults fills in the zero fields of o and returns it.
func (o *Options) EnsureDefaults() *Options {
	if o.Entity == "" {
		o.Entity = engine.DefaultEntity
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.MaxUpload == 0 {
		o.MaxUpload = 256 << 20
	}
	if o.MaxBody == 0 {
		o.MaxBody = 4 << 20
	}
	if o.RequestTimeout == 0 {
		o.RequestTimeout = 30 * time.Second
	}
	if o.UploadTimeout == 0 {
		o.UploadTimeout = 10 * time.Minute
	}
	return o
}

// Validate reports every missing or inconsistent setting at once.
func (o *Options) Validate() error {
	var errs []error
	if o.Store == nil {
		errs = append(errs, errors.New("no store"))
	}
	if o.Tokens == nil || o.Tokens.Len() == 0 {
		errs = append(errs, errors.New("no tokens"))
	}
	if o.ApprovalLimit.Sign() < 0 {
		errs = append(errs, fmt.Errorf("approval limit %s is negative", o.ApprovalLimit))
	}
	if o.MaxUpload < 0 || o.MaxBody < 0 {
		errs = append(errs, errors.New("size limits must not be negative"))
	}
	if len(errs) > 0 {
		return fmt.Errorf("api options: %w", errors.Join(errs...))
	}
	return nil
}

// Server serves the HTTP API. It is safe for concurrent use.
type Server struct {
	opts    Options
	store   Store
	log     *slog.Logger
	metrics *metrics
	mux     *http.ServeMux
	routes  []route

	// ingestMu serializes uploads of bank files: the engine must never
	// decide one entity's payments concurrently.
	ingestMu sync.Mutex
	// group writes concurrent resolutions in shared store batches.
	group    *groupCommit
	draining atomic.Bool
}

// New returns a server with the given options.
func New(opts Options) (*Server, error) {
	o := opts
	o.EnsureDefaults()
	if err := o.Validate(); err != nil {
		return nil, err
	}
	s := &Server{opts: o, store: o.Store, log: o.Logger, mux: http.NewServeMux(),
		group: &groupCommit{store: o.Store, entity: o.Entity}}
	m, err := newMetrics(o.Collectors, s.openExceptions)
	if err != nil {
		return nil, fmt.Errorf("api metrics: %w", err)
	}
	s.metrics = m
	s.routes = s.routeTable()
	for _, rt := range s.routes {
		if rt.path == "/metrics" && o.SeparateMetrics {
			continue
		}
		s.mux.Handle(rt.method+" "+rt.path, s.endpoint(rt))
	}
	return s, nil
}

// openExceptions reads the number of open exceptions from the store's
// totals, for the metrics; -1 when the store cannot say.
func (s *Server) openExceptions() float64 {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	t, err := s.store.Report(ctx, s.opts.Entity)
	if err != nil {
		s.log.Warn("metrics: read open exceptions", "error", err)
		return -1
	}
	return float64(t.OpenExceptions)
}

// Handler returns the handler of every route: request logging, metrics,
// problem documents for the mux's own errors and recovery from panics
// around the routes.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serve) }

// MetricsHandler serves the Prometheus metrics, without authentication.
func (s *Server) MetricsHandler() http.Handler { return s.metrics.handler() }

// Drain makes /readyz answer 503 so that a load balancer stops sending
// requests before the server shuts down.
func (s *Server) Drain() { s.draining.Store(true) }

// handler is a route's code. It writes a successful response itself and
// returns an error otherwise: a *Problem is sent as it is, anything else is
// logged and answered with a 500 problem.
type handler func(w http.ResponseWriter, r *http.Request) error

// route is one method and path of the API and what it needs.
type route struct {
	method string
	// path is the pattern as net/http and the OpenAPI document write it.
	path string
	// action is the permission the route needs; empty for a public route.
	action Action
	// upload routes accept a body of up to MaxUpload and run for up to
	// UploadTimeout.
	upload bool
	h      handler
}

// endpoint wraps a route's handler with authentication, the permission
// check, the body limit and the time limit.
func (s *Server) endpoint(rt route) http.Handler {
	limit, timeout := s.opts.MaxBody, s.opts.RequestTimeout
	if rt.upload {
		limit, timeout = s.opts.MaxUpload, s.opts.UploadTimeout
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rt.action != "" {
			who, p := s.authenticate(r, rt.action)
			if p != nil {
				writeProblem(w, r, p)
				return
			}
			r = r.WithContext(context.WithValue(r.Context(), principalKey{}, who))
			if rec, ok := w.(*recorder); ok {
				rec.user = who.Name
			}
		}
		ctx, cancel := context.WithTimeout(r.Context(), timeout)
		defer cancel()
		r = r.WithContext(ctx)
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		if err := rt.h(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

// authenticate returns the caller of r, or the problem to answer with when
// the token is missing, unknown, or its role may not perform action.
func (s *Server) authenticate(r *http.Request, action Action) (Principal, *Problem) {
	token, ok := bearerToken(r)
	if !ok {
		return Principal{}, unauthorized("send the header Authorization: Bearer <token>")
	}
	who, ok := s.opts.Tokens.lookup(token)
	if !ok {
		return Principal{}, unauthorized("the bearer token is not known")
	}
	if !allowed(who.Role, action) {
		return who, forbidden(fmt.Sprintf("the %s role may not %s", who.Role, action))
	}
	return who, nil
}

// fail answers a request whose handler returned err.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var p *Problem
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &p):
	case errors.As(err, &tooLarge):
		p = problem(http.StatusRequestEntityTooLarge, "too-large", "Request body too large",
			fmt.Sprintf("the limit is %d bytes", tooLarge.Limit))
	case errors.Is(err, context.DeadlineExceeded):
		p = problem(http.StatusServiceUnavailable, "timeout", "The request took too long",
			"the server gave up on this request; nothing it had not committed was kept")
	default:
		s.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "error", err)
		p = problem(http.StatusInternalServerError, "internal", "Internal error",
			"the server could not complete the request; it is logged")
	}
	writeProblem(w, r, p)
}

// serve is the outermost handler: it records and logs every request, turns
// the mux's plain-text errors into problem documents and recovers panics.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &recorder{ResponseWriter: w, req: r}
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("handler panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v))
			if rec.status == 0 {
				writeProblem(rec, r, problem(http.StatusInternalServerError, "internal", "Internal error", ""))
			}
		}
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		took := time.Since(start)
		s.metrics.observeRequest(route, rec.code(), took)
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.String("route", route), slog.Int("status", rec.code()),
			slog.Int64("bytes", rec.bytes), slog.Duration("took", took),
			slog.String("user", rec.user), slog.String("remote", r.RemoteAddr))
	}()
	s.mux.ServeHTTP(rec, r)
}

// recorder remembers a response's status and size for the request log, and
// replaces any error response that is not already a problem document (the
// mux's 404 and 405, net/http's own errors) with one.
type recorder struct {
	http.ResponseWriter
	req     *http.Request
	status  int
	bytes   int64
	user    string
	swallow bool
}

func (w *recorder) WriteHeader(code int) {
	if w.status != 0 {
		return
	}
	w.status = code
	if code >= 400 && w.Header().Get("Content-Type") != "application/problem+json" {
		w.swallow = true
		writeProblem(w.ResponseWriter, w.req, statusProblem(code))
		return
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if w.swallow {
		return len(b), nil
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *recorder) code() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}
