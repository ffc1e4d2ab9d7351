package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

// problemType is the base of the "type" URIs of our problem documents; the
// OpenAPI document describes each.
const problemType = "https://cashmatch.dev/problems/"

// Problem is an RFC 9457 problem document. Handlers return one as an error to
// answer with it; Extra members are added beside the standard ones.
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
	// Instance is the request path the problem occurred on.
	Instance string `json:"instance,omitempty"`
	// Extra holds extension members such as per-row errors.
	Extra map[string]any `json:"-"`
	// header is set on the response, such as Allow or WWW-Authenticate.
	header http.Header
}

func (p *Problem) Error() string { return fmt.Sprintf("%d %s: %s", p.Status, p.Title, p.Detail) }

// MarshalJSON writes the standard members and the extensions in one object.
func (p *Problem) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, len(p.Extra)+5)
	for k, v := range p.Extra {
		m[k] = v
	}
	m["type"] = p.Type
	m["title"] = p.Title
	m["status"] = p.Status
	if p.Detail != "" {
		m["detail"] = p.Detail
	}
	if p.Instance != "" {
		m["instance"] = p.Instance
	}
	return json.Marshal(m)
}

// problem returns a problem of the given status, with a type URI made of
// slug.
func problem(status int, slug, title, detail string) *Problem {
	return &Problem{Type: problemType + slug, Title: title, Status: status, Detail: detail}
}

func badRequest(detail string) *Problem {
	return problem(http.StatusBadRequest, "bad-request", "The request is malformed", detail)
}

func notFound(detail string) *Problem {
	return problem(http.StatusNotFound, "not-found", "Not found", detail)
}

func unprocessable(slug, title, detail string) *Problem {
	return problem(http.StatusUnprocessableEntity, slug, title, detail)
}

func unauthorized(detail string) *Problem {
	p := problem(http.StatusUnauthorized, "unauthorized", "Authentication required", detail)
	p.header = http.Header{"Www-Authenticate": {`Bearer realm="cashmatch"`}}
	return p
}

func forbidden(detail string) *Problem {
	return problem(http.StatusForbidden, "forbidden", "Not allowed for this role", detail)
}

// writeProblem sends p as application/problem+json.
func writeProblem(w http.ResponseWriter, r *http.Request, p *Problem) {
	if p.Instance == "" && r != nil {
		p.Instance = r.URL.Path
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(p)
	body := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if err != nil {
		// A problem holds only strings, numbers and JSON values we built.
		body = []byte(`{"type":"about:blank","title":"Internal error","status":500}`)
		p.Status = http.StatusInternalServerError
	}
	h := w.Header()
	for k, vs := range p.header {
		h[k] = vs
	}
	h.Set("Content-Type", "application/problem+json")
	h.Set("Content-Length", strconv.Itoa(len(body)+1))
	h.Del("ETag")
	w.WriteHeader(p.Status)
	w.Write(append(body, '\n'))
}

// statusProblem describes a status the mux or net/http produced on its own.
func statusProblem(status int) *Problem {
	switch status {
	case http.StatusNotFound:
		return notFound("no route matches this path")
	case http.StatusMethodNotAllowed:
		return problem(status, "method-not-allowed", "Method not allowed",
			"this path does not accept this method; see the Allow header")
	case http.StatusRequestEntityTooLarge:
		return problem(status, "too-large", "Request body too large", "")
	}
	return problem(status, "http-"+strconv.Itoa(status), http.StatusText(status), "")
}
