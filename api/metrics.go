package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/cashmatch/cashmatch/engine"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the service's own Prometheus metrics.
type metrics struct {
	registry       *prometheus.Registry
	statements     *prometheus.CounterVec
	payments       *prometheus.CounterVec
	matchSeconds   prometheus.Histogram
	requests       *prometheus.CounterVec
	requestSeconds *prometheus.HistogramVec
}

// newMetrics registers the service's metrics, the Go runtime and process
// collectors and any extra collectors (the store's) in a new registry.
// openExceptions is read at every scrape.
func newMetrics(extra []prometheus.Collector, openExceptions func() float64) (*metrics, error) {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		statements: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cashmatch_statements_total",
			Help: "Bank statements uploaded, by outcome: ingested, duplicate or refused.",
		}, []string{"outcome"}),
		payments: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cashmatch_payments_total",
			Help: "Payments decided on upload, by decision: auto, suggested or exception.",
		}, []string{"decision"}),
		matchSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "cashmatch_match_duration_seconds",
			Help:    "Time to read, match and commit one uploaded statement.",
			Buckets: prometheus.ExponentialBuckets(0.001, 4, 10),
		}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cashmatch_http_requests_total",
			Help: "HTTP requests served, by route pattern and status code.",
		}, []string{"route", "code"}),
		requestSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "cashmatch_http_request_duration_seconds",
			Help:    "Time to serve an HTTP request, by route pattern.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
	}
	open := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "cashmatch_exceptions_open",
		Help: "Exceptions waiting for a specialist, including those waiting for approval.",
	}, openExceptions)
	cs := []prometheus.Collector{
		m.statements, m.payments, m.matchSeconds, m.requests, m.requestSeconds, open,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	}
	for _, c := range append(cs, extra...) {
		if err := m.registry.Register(c); err != nil {
			return nil, err
		}
	}
	for _, k := range []engine.Kind{engine.Auto, engine.Suggested, engine.Exception} {
		m.payments.WithLabelValues(k.String())
	}
	for _, o := range []string{"ingested", "duplicate", "refused"} {
		m.statements.WithLabelValues(o)
	}
	return m, nil
}

// handler serves the registry in the Prometheus exposition format.
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// observeRequest counts one served request.
func (m *metrics) observeRequest(route string, code int, took time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(code)).Inc()
	m.requestSeconds.WithLabelValues(route).Observe(took.Seconds())
}

// observeIngest counts one ingested statement and its decisions.
func (m *metrics) observeIngest(s engine.Summary, took time.Duration) {
	m.statements.WithLabelValues("ingested").Inc()
	m.payments.WithLabelValues(engine.Auto.String()).Add(float64(s.Auto))
	m.payments.WithLabelValues(engine.Suggested.String()).Add(float64(s.Suggested))
	m.payments.WithLabelValues(engine.Exception.String()).Add(float64(s.Exceptions))
	m.matchSeconds.Observe(took.Seconds())
}
