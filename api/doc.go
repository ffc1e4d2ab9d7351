// Package api is the HTTP API of cashmatch: treasury uploads bank files and
// open items, A/R specialists work the exception queue, approvers release
// large write-offs, and auditors and the ERP read what was applied.
//
// # Basics
//
// Every route lives under /v1 and speaks JSON. The OpenAPI 3.1 document of
// the whole API is embedded (openapi.json) and served at /v1/openapi.json; a
// test keeps it and the route table (routes.go) in step.
//
// Callers authenticate with a bearer token read from a tokens file (see
// ParseTokens). Each token has a role; the permission table
// (permissions.go) is the one place that says which role may do what. Only
// /healthz, /readyz and /metrics answer without a token.
//
// Every error, including an unknown route, a wrong method and a refused
// token, is an RFC 9457 problem document (application/problem+json).
//
// # Caveats
//
// A server serves one legal entity, chosen in Options. Uploads of bank files
// for one entity are ingested one at a time, because the engine must never
// decide the same entity's payments concurrently.
package api
