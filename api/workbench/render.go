package workbench

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pages holds one template set per page, each made of the layout, the
// shared partials and the page's own file.
type pages struct {
	byName map[string]*template.Template
}

// view is what every page template receives.
type view struct {
	Title string
	// Nav names the section of the menu to mark as current.
	Nav string
	// Me is the signed-in person; nil on the sign-in page.
	Me    *me
	CSRF  string
	Flash string
	// Data is the page's own content.
	Data any
}

// loadPages parses every page template. A page file is any file of
// templates/ that does not start with an underscore; layout.html and
// _*.html are shared by all pages.
func loadPages() (*pages, error) {
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/_*.html")
	if err != nil {
		return nil, fmt.Errorf("workbench templates: %w", err)
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, name := range names {
		file := path.Base(name)
		if file == "layout.html" || strings.HasPrefix(file, "_") {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFS, name)
		if err != nil {
			return nil, fmt.Errorf("workbench template %s: %w", file, err)
		}
		p.byName[strings.TrimSuffix(file, ".html")] = t
	}
	return p, nil
}

// render writes page name with status. The page is rendered to memory
// first, so that a template error becomes a clean 500 rather than half a
// page.
func (p *pages) render(w http.ResponseWriter, status int, name string, v view) error {
	t, ok := p.byName[name]
	if !ok {
		return fmt.Errorf("no page template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// show renders a page of the signed-in person s with status 200.
func (wb *Workbench) show(w http.ResponseWriter, s *session, status int, name, title, nav string, data any) error {
	return wb.pages.render(w, status, name, view{Title: title, Nav: nav, Me: &s.me, CSRF: s.csrf,
		Flash: wb.sessions.takeFlash(s), Data: data})
}

// renderError shows a page that explains why a request failed. s may be
// nil.
func (wb *Workbench) renderError(w http.ResponseWriter, r *http.Request, s *session, status int, title, detail string) {
	v := view{Title: title, Data: errorPage{Status: status, Title: title, Detail: detail}}
	if s != nil {
		v.Me, v.CSRF = &s.me, s.csrf
	}
	if err := wb.pages.render(w, status, "error", v); err != nil {
		wb.log.ErrorContext(r.Context(), "render error page", "error", err)
		http.Error(w, title, status)
	}
}

type errorPage struct {
	Status int
	Title  string
	Detail string
}

// staticVersions maps each embedded asset to a short hash of its content,
// added to its URL so that browsers may cache it for good.
var staticVersions = func() map[string]string {
	m := map[string]string{}
	fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		m[strings.TrimPrefix(p, "static/")] = hex.EncodeToString(sum[:6])
		return nil
	})
	return m
}()

// staticHandler serves the embedded assets. A request that names the
// current version may be cached for a year.
func staticHandler() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/static/")
		v, ok := staticVersions[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if r.URL.Query().Get("v") == v {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		files.ServeHTTP(w, r)
	})
}

// funcs are the template functions. None of them decides anything the API
// decides; they only format what it answered.
var funcs = template.FuncMap{
	"static": func(name string) string {
		return "/static/" + name + "?v=" + staticVersions[name]
	},
	"money":    formatAmount,
	"barWidth": barWidth,
	"percent":  percent,
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	},
	"bytes":      formatBytes,
	"humanize":   func(s string) string { return strings.ReplaceAll(s, "_", " ") },
	"query":      withQuery,
	"pathEsc":    url.PathEscape,
	"confidence": confidencePercent,
	"join":       strings.Join,
	"list":       func(xs ...int) []int { return xs },
	"nonzero":    func(s string) bool { return s != "" && !isZero(s) },
	// index0 returns the i-th value of key in a posted form, or "".
	"index0": func(v url.Values, key string, i int) string {
		if i < len(v[key]) {
			return v[key][i]
		}
		return ""
	},
	"ifElse": func(cond bool, yes, no string) string {
		if cond {
			return yes
		}
		return no
	},
}

// formatAmount groups the whole part of a decimal string in thousands:
// "1234567.50" becomes "1,234,567.50". Anything that is not a plain decimal
// is returned as it is.
func formatAmount(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || strings.Trim(whole, "0123456789") != "" {
		return sign + s
	}
	var b strings.Builder
	b.WriteString(sign)
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// barWidth is the width in percent of a bar of n in a chart whose longest
// bar is of max; a non-zero n gets at least 1.
func barWidth(n, max int) int {
	if max <= 0 || n <= 0 {
		return 0
	}
	return max1(n * 100 / max)
}

func max1(n int) int {
	if n < 1 {
		return 1
	}
	return n
}

// percent writes n of total as a percentage with one decimal, in integer
// arithmetic, rounded half up: percent(209, 300) is "69.7".
func percent(n, total int) string {
	if total <= 0 {
		return "0.0"
	}
	tenths := (n*1000 + total/2) / total
	return strconv.Itoa(tenths/10) + "." + strconv.Itoa(tenths%10)
}

func formatBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%d.%d MiB", n>>20, (n%(1<<20))*10>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// withQuery returns the query q with key set to value (or removed, when
// value is empty), encoded for a link: "?a=1&b=2".
func withQuery(q url.Values, key, value string) string {
	c := url.Values{}
	for k, vs := range q {
		c[k] = vs
	}
	if value == "" {
		c.Del(key)
	} else {
		c.Set(key, value)
	}
	if len(c) == 0 {
		return "?"
	}
	return "?" + c.Encode()
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
