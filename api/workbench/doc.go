// Package workbench is the web page of cashmatch: A/R specialists work the
// exception queue, treasury uploads bank files, and everyone sees how cash
// application is going.
//
// # Basics
//
// The pages are rendered on the server with html/template. They get and
// change data only through the HTTP API (package api), which they call in
// process with the signed-in person's bearer token, so that the API's
// answers, never a copy of its rules, decide what each person may see and
// do. The API's /v1/me tells the workbench a person's role and the actions
// it allows; the workbench only hides what the API would refuse anyway.
//
// A person signs in with their API token. The token stays on the server, in
// a session that a random cookie names; the cookie is HttpOnly, SameSite=Lax,
// Secure over TLS, and expires with the session. Every form carries a token
// against cross-site request forgery, and the server also refuses unsafe
// requests that a browser marks as coming from another site.
//
// The pages: the overview (the API's report, with bar charts), the exception
// queue (filters, sorting, paging, counts and totals, keyboard navigation),
// an exception (payment, remittance with the references found, ranked
// suggestions, the customer's open items, and the forms that resolve it), a
// payment (what is applied, the ledger, unapply), the statements with the
// upload of bank files, and the invoices with the upload of the ERP's
// export. A change names the version the page showed; when the API answers
// that someone else changed the record first, the page says so and shows it
// as it is now, and nothing is overwritten.
//
// Templates, styles and the one small script are embedded in the binary;
// nothing is fetched from elsewhere at run time. The Content-Security-Policy
// allows scripts and styles from the server's own origin only, and no
// inline script or style.
//
// # Caveats
//
// Sessions live in memory: a restart signs everyone out, and several server
// processes behind one address do not share them.
package workbench
