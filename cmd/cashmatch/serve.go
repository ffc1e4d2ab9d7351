package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/cashmatch/cashmatch/api"
	"github.com/cashmatch/cashmatch/api/workbench"
	"github.com/cashmatch/cashmatch/engine"
	"github.com/cashmatch/cashmatch/store"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/shopspring/decimal"
)

// shutdownGrace is how long serve waits for in-flight requests when told to
// stop.
const shutdownGrace = 30 * time.Second

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", "serve --data DIR --addr HOST:PORT --tokens FILE [--metrics-addr HOST:PORT]",
		"Serves the HTTP API under /v1 (its OpenAPI document is at /v1/openapi.json)\n"+
			"and the workbench, the web page for people, at /.\n"+
			"Every route but /healthz, /readyz and /metrics needs a bearer token from the\n"+
			"tokens file: one line per token with the token, its role (uploader,\n"+
			"specialist, approver, admin, viewer) and the person's name, separated by\n"+
			"blanks; # starts a comment. On SIGINT or SIGTERM the server stops taking\n"+
			"requests, finishes those in flight and exits.", stderr)
	var sf storeFlags
	sf.register(fs, store.DefaultDir)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	tokensFile := fs.String("tokens", "", "tokens file (required)")
	metricsAddr := fs.String("metrics-addr", "", "serve /metrics on this address instead of --addr")
	limit := fs.String("approval-limit", "100.00", "largest write-off a specialist may make without an approver, in the payment's currency")
	maxUpload := fs.Int64("max-upload", 256<<20, "largest uploaded file, in bytes")
	secureCookies := fs.Bool("secure-cookies", false, "mark the workbench's cookies Secure although served over plain HTTP (behind a TLS proxy)")
	var lf logFlags
	lf.register(fs)
	lf.level = "info"
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *tokensFile == "" || fs.NArg() != 0 {
		fs.Usage()
		return errUsage
	}
	log, err := lf.logger(stderr)
	if err != nil {
		return err
	}
	approvalLimit, err := decimal.NewFromString(*limit)
	if err != nil {
		return fmt.Errorf("%w: --approval-limit %q is not a decimal number", errUsage, *limit)
	}
	tokens, err := api.LoadTokens(*tokensFile)
	if err != nil {
		return err
	}

	// Open the store and build the API on it.
	st, err := store.Open(sf.data, &store.Options{Logger: log})
	if err != nil {
		return err
	}
	defer st.Close()
	srv, err := api.New(api.Options{
		Store: st, Tokens: tokens, Entity: engine.EntityID(sf.entity), Logger: log,
		Engine: &engine.Options{Logger: log}, ApprovalLimit: approvalLimit,
		MaxUpload: *maxUpload, SeparateMetrics: *metricsAddr != "",
		Collectors: []prometheus.Collector{st.Collector()},
	})
	if err != nil {
		return err
	}

	wb, err := workbench.New(workbench.Options{API: srv.Handler(), Logger: log, SecureCookies: *secureCookies})
	if err != nil {
		return err
	}

	// Listen before announcing, so that a port in use fails at once.
	servers := []*http.Server{newHTTPServer(withWorkbench(srv.Handler(), wb.Handler()), log)}
	listeners := []net.Listener{}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	listeners = append(listeners, ln)
	if *metricsAddr != "" {
		mln, err := net.Listen("tcp", *metricsAddr)
		if err != nil {
			ln.Close()
			return err
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", srv.MetricsHandler())
		servers = append(servers, newHTTPServer(mux, log))
		listeners = append(listeners, mln)
	}
	log.Info("serving", "addr", ln.Addr().String(), "metrics_addr", *metricsAddr,
		"data", sf.data, "entity", sf.entity, "tokens", tokens.Len())
	fmt.Fprintf(stdout, "cashmatch serving on http://%s\n", ln.Addr())

	// Serve until told to stop, then drain.
	errc := make(chan error, len(servers))
	for i, s := range servers {
		go func() { errc <- s.Serve(listeners[i]) }()
	}
	select {
	case err = <-errc:
	case <-ctx.Done():
	}
	srv.Drain()
	log.Info("shutting down", "grace", shutdownGrace)
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	for _, s := range servers {
		if serr := s.Shutdown(sctx); serr != nil && err == nil {
			err = serr
		}
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// newHTTPServer returns a server with timeouts that keep slow or idle
// clients from holding connections forever while leaving room for uploads
// of large bank files.
func newHTTPServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       10 * time.Minute,
		WriteTimeout:      11 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}
