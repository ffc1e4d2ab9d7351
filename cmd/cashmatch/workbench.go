package main

import "net/http"

// withWorkbench serves the API's paths with api and every other path with
// the workbench's pages.
func withWorkbench(api, pages http.Handler) http.Handler {
	mux := http.NewServeMux()
	for _, p := range []string{"/v1/", "/healthz", "/readyz", "/metrics"} {
		mux.Handle(p, api)
	}
	mux.Handle("/", pages)
	return mux
}
