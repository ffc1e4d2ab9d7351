package api

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
)

// routeTable lists every route of the API with the permission it needs. The
// OpenAPI document describes exactly these (openapi_test.go checks it).
func (s *Server) routeTable() []route {
	return []route{
		{method: "GET", path: "/healthz", h: s.healthz},
		{method: "GET", path: "/readyz", h: s.readyz},
		{method: "GET", path: "/metrics", h: s.serveMetrics},
		{method: "GET", path: "/v1/openapi.json", action: ReadAPI, h: s.openAPI},
		{method: "GET", path: "/v1/me", action: ReadAPI, h: s.me},

		{method: "POST", path: "/v1/statements", action: UploadStatements, upload: true, h: s.uploadStatement},
		{method: "GET", path: "/v1/statements", action: ReadStatements, h: s.listStatements},
		{method: "GET", path: "/v1/statements/{id}", action: ReadStatements, h: s.getStatement},

		{method: "POST", path: "/v1/invoices", action: UploadInvoices, upload: true, h: s.uploadInvoices},
		{method: "GET", path: "/v1/invoices", action: ReadInvoices, h: s.listInvoices},
		{method: "GET", path: "/v1/customers/{id}", action: ReadCustomers, h: s.getCustomer},

		{method: "GET", path: "/v1/exceptions", action: ReadExceptions, h: s.listExceptions},
		{method: "GET", path: "/v1/exceptions/{id}", action: ReadExceptions, h: s.getException},
		{method: "POST", path: "/v1/exceptions/{id}/assign", action: AssignExceptions, h: s.assignException},
		{method: "POST", path: "/v1/exceptions/{id}/resolve", action: ResolveExceptions, h: s.resolveException},
		{method: "POST", path: "/v1/exceptions/{id}/approve", action: ApproveWriteOffs, h: s.approveException},
		{method: "POST", path: "/v1/exceptions/{id}/reject", action: ApproveWriteOffs, h: s.rejectException},
		{method: "POST", path: "/v1/exceptions/resolve", action: ResolveExceptions, h: s.bulkResolve},

		{method: "GET", path: "/v1/payments/{id}", action: ReadPayments, h: s.getPayment},
		{method: "POST", path: "/v1/payments/{id}/unapply", action: UnapplyPayments, h: s.unapplyPayment},
		{method: "GET", path: "/v1/export/allocations", action: ExportAllocations, h: s.exportAllocations},

		{method: "GET", path: "/v1/reports/summary", action: ReadReports, h: s.summaryReport},
		{method: "GET", path: "/v1/reports/customers/{id}", action: ReadReports, h: s.customerReport},
	}
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	if s.draining.Load() {
		return problem(http.StatusServiceUnavailable, "draining", "Shutting down",
			"the server is finishing its requests and takes no new ones")
	}
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) error {
	s.metrics.handler().ServeHTTP(w, r)
	return nil
}

//go:embed openapi.json
var openAPIDocument []byte

// OpenAPI returns the OpenAPI 3.1 document of the API.
func OpenAPI() []byte { return bytes.Clone(openAPIDocument) }

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(openAPIDocument)))
	_, err := w.Write(openAPIDocument)
	return err
}

// writeJSON sends v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// readJSON decodes the JSON request body into v, refusing unknown fields
// and trailing data.
func readJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return err
		}
		if errors.Is(err, io.EOF) {
			return badRequest("the request body is empty; it must be a JSON object")
		}
		return badRequest("the request body is not valid JSON for this route: " + err.Error())
	}
	if dec.More() {
		return badRequest("the request body holds more than one JSON value")
	}
	return nil
}
